"""What a screen reader is told without moving focus: refusals and results, as announced.

Each test drives real widgets and hears what `ui.widgets.accessibility.announce` sent to
Qt as a QAccessibleAnnouncementEvent (its words and the widget it came from)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from records.contracts import ReturnedQuestion
from records.visit import ExplanationSource, InterpreterKind
from tests.ui.a11y import check_box_answers
from tests.ui.conftest import Household, unlock
from tests.ui.driving import (
    answer,
    fill_child,
    fill_visit_except_children,
    start_visit_for_selected,
    submit_a_visit,
)
from tests.ui.test_returned_question import QUESTION, RETURNED_AT
from tests.ui.test_visit_flags import NOT_ALONE_AGAIN, submit_earlier_visit_not_alone
from ui.shell.main_window import WindowOptions
from ui.visit.returned_question import VisitQuestionBanner
from ui.widgets.accessibility import listen
from ui.widgets.labels import label


def test_a_refused_submit_is_announced_with_its_count(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    heard: list[str] = []
    stop = listen(lambda _source, said: heard.append(said))
    try:
        window = make_window(household.directory,  # type: ignore[operator]
                             WindowOptions(autosave_ms=200))
        unlock(qtbot, window)
        editor = start_visit_for_selected(qtbot, window)
        assert check_box_answers(editor) == []
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: any("cannot be submitted yet" in s for s in heard),
                        timeout=10_000)
        refusal = next(s for s in heard if "cannot be submitted yet" in s)
        assert f"{editor.problem_list.count()} things need putting right" in refusal
        assert editor.status.text() == refusal  # the text is what is read, not a fixed name
    finally:
        stop()


def test_who_explained_and_who_interpreted_have_their_own_words() -> None:
    assert label(ExplanationSource.CHILD) == "The child"
    assert "not allowed" not in label(ExplanationSource.CHILD)
    assert label(InterpreterKind.CHILD) != label(ExplanationSource.CHILD)


def test_listening_stops() -> None:
    heard: list[str] = []
    stop = listen(lambda _s, said: heard.append(said))
    stop()
    from ui.widgets.accessibility import announce
    announce(QObject(), "Submitted")
    assert heard == []


class Heard:
    """Every announcement made while the test runs: its words and the widget it came from."""

    def __init__(self) -> None:
        self.said: list[tuple[QObject, str]] = []
        self.stop = listen(lambda source, words: self.said.append((source, words)))

    def words(self) -> list[str]:
        return [words for _, words in self.said]

    def has(self, part: str) -> bool:
        return any(part in words for words in self.words())

    def source_of(self, part: str) -> QObject:
        return next(source for source, words in self.said if part in words)


@pytest.fixture
def heard() -> Iterator[Heard]:
    hearing = Heard()
    yield hearing
    hearing.stop()


def test_submitting_is_announced_with_the_next_visit_due(
    qtbot: QtBot, household: Household, make_window: object, heard: Heard
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = submit_a_visit(qtbot, window)
    qtbot.waitUntil(lambda: heard.has("Submitted"), timeout=10_000)
    said = next(w for w in heard.words() if "Submitted" in w)
    assert editor.status.text() in said  # what is read is what the status shows
    due = editor.opened.visit.next_visit_due
    assert due is not None and f"Next visit due by {due:%A %d %B %Y}" in said
    assert heard.source_of("Submitted") is editor.status


def test_the_next_visit_due_is_announced_when_worked_out(
    qtbot: QtBot, household: Household, make_window: object, heard: Heard
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    fill_visit_except_children(qtbot, editor)
    editor.tabs.setCurrentIndex(editor.tabs.count() - 1)  # Analysis and actions
    qtbot.waitUntil(lambda: heard.has("Next visit due by"), timeout=10_000)
    said = next(w for w in heard.words() if "Next visit due by" in w)
    assert said == editor.analysis.next_due.text()
    assert heard.source_of("Next visit due by") is editor.analysis.next_due


def test_saving_a_pdf_is_announced(
    qtbot: QtBot, household: Household, make_window: object, heard: Heard,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.widgets import file_choice

    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(pdf_allowed=True, autosave_ms=60_000))
    unlock(qtbot, window)
    editor = submit_a_visit(qtbot, window)
    destination = tmp_path / "conference.pdf"
    monkeypatch.setattr(file_choice, "choose_file_to_save", lambda *_: destination)
    assert not heard.has("PDF saved")
    qtbot.mouseClick(editor.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: heard.has("PDF saved"), timeout=15_000)  # written on the lane
    assert destination.read_bytes().startswith(b"%PDF")
    assert heard.source_of("PDF saved") is editor.status


def test_a_flag_appearing_and_going_is_announced(
    qtbot: QtBot, household: Household, make_window: object, heard: Heard
) -> None:
    submit_earlier_visit_not_alone(household)
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    # What is flagged as the visit opens (Tomasz's visit is late) is listed, not news.
    qtbot.waitUntil(lambda: editor.flags_panel.answers > 0, timeout=10_000)
    assert not heard.has("flagged")
    fill_visit_except_children(qtbot, editor)
    ana_page, tomasz_page = editor.child_pages
    fill_child(qtbot, tomasz_page)
    fill_child(qtbot, ana_page, alone=False, reason="Mother stayed in the room.")
    qtbot.waitUntil(lambda: heard.has(f"Now flagged: {NOT_ALONE_AGAIN}"), timeout=10_000)
    assert heard.source_of("Now flagged") is editor.flags_panel.list
    answer(qtbot, ana_page.essentials.form, "seen_alone", True)
    qtbot.waitUntil(lambda: heard.has(f"No longer flagged: {NOT_ALONE_AGAIN}"),
                    timeout=10_000)


def test_the_team_leads_question_is_announced_once_as_the_visit_opens(
    qtbot: QtBot, heard: Heard
) -> None:
    question = ReturnedQuestion(
        review_id=uuid.uuid4(), visit_id=uuid.uuid4(), question=QUESTION,
        reviewer="R. Lead", returned_at=RETURNED_AT, child_ids=())
    banner = VisitQuestionBanner(question)
    qtbot.addWidget(banner)
    assert not heard.has(QUESTION)
    banner.show()
    qtbot.waitUntil(banner.isVisible)
    (said,) = [w for w in heard.words() if QUESTION in w]
    assert said.startswith("Your team lead returned this visit with a question.")
    assert "Asked by R. Lead on" in said
    assert heard.source_of(QUESTION) is banner
    banner.hide()
    banner.show()  # back from another tab: listed, not said again
    assert len([w for w in heard.words() if QUESTION in w]) == 1
