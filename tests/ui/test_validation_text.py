"""What must be put right before submitting, in the worker's language: records/ gives each
problem a stable code and its names; the editor says it through Qt's translation, and in
English when there is no translation (or a broken one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from records.problems import MESSAGES, problem
from tests.ui.conftest import Household, unlock
from tests.ui.driving import start_visit_for_selected, submit_without_a_reason_not_seen_alone
from ui.visit.validation_text import SENTENCES, problem_text

POLISH = {
    "Say why {name} was not seen alone.": "Podaj, dlaczego {name} nie było widziane samo.",
    "Record who carried out the visit.": "Wpisz, kto przeprowadził wizytę.",
    "Say whether {name} was seen.": "Podaj, czy {name} {nie_ma_takiego}.",  # a broken one
}


class Polish(QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if context == "Validation" and source in POLISH:
            return POLISH[source]
        return ""  # not translated: Qt keeps the source text


@pytest.fixture
def polish(qapp: object) -> Iterator[None]:
    translator = Polish()
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_every_problem_the_records_can_raise_can_be_translated() -> None:
    assert SENTENCES == MESSAGES  # same codes, and the same English as lupdate's source text
    assert all(text.strip() for text in MESSAGES.values())


def test_problems_are_said_in_the_workers_language_with_english_to_fall_back_on(
    polish: None,
) -> None:
    assert problem_text(problem("children.0.reason_not_seen_alone",
                                "child.reason_not_seen_alone", name="Ana")) \
        == "Podaj, dlaczego Ana nie było widziane samo."
    broken = problem("children.0.seen", "child.seen", name="Ana")
    assert problem_text(broken) == "Say whether Ana was seen."
    untranslated = problem("children.0.demeanour", "child.demeanour", name="Ana")
    assert problem_text(untranslated) == "Describe how Ana seemed."


def test_the_editor_shows_a_translated_problem_beside_its_field(
    qtbot: QtBot, household: Household, make_window: object, polish: None,
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    _ana_page, reason = submit_without_a_reason_not_seen_alone(qtbot, editor)
    assert reason.problem.text() == "⚠ Podaj, dlaczego Ana nie było widziane samo."
    assert editor.problem_list.item(0).text() == "Podaj, dlaczego Ana nie było widziane samo."
