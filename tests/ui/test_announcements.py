"""What a screen reader is told without moving focus: refusals and results, as announced."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from records.visit import ExplanationSource, InterpreterKind
from tests.ui.a11y import check_box_answers
from tests.ui.conftest import Household, unlock
from tests.ui.driving import start_visit_for_selected
from ui.shell.main_window import WindowOptions
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
