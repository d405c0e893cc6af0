"""A worker records a visit, is told exactly what is missing, puts it right and submits."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.policy import Policy
from records.contracts import VisitStatus
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import (
    start_visit_for_selected,
    submit,
    submit_without_a_reason_not_seen_alone,
)


def test_missing_reason_is_shown_beside_it_then_fixed_and_submitted(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    assert window.windowTitle() == "Homevisit"
    _, reason = submit_without_a_reason_not_seen_alone(qtbot, editor)
    assert reason.problem.text() == "⚠ Say why Ana was not seen alone."
    assert editor.problem_list.count() == 1
    assert editor.tabs.currentIndex() == 0  # Ana's essentials are on the first page
    assert QApplication.focusWidget() is reason.field.focusProxy()
    assert not editor.read_only

    qtbot.keyClicks(QApplication.focusWidget(), "Mother would not leave the room.")
    submit(qtbot, editor)
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    assert not reason.problem.isVisible()
    assert not editor.problems_showing
    assert editor.addenda.isVisible()
    assert not editor.submit_button.isVisible()
    # Nothing is left to put right on a submitted visit: "Before you can submit" goes, and
    # the flags (wrapped, never cut off at the edge) have the strip.
    assert not editor.problems_part.isVisible() and editor.flags_panel.isVisible()
    assert editor.flags_panel.list.wordWrap()
    visit_id = editor.visit.id

    window.lock("test")
    from ui.widgets.background import wait_for_background_work

    wait_for_background_work()
    with sessions.unlock(household.directory, PASSPHRASE, Policy()) as opened:
        stored = opened.workspace.visits.get(visit_id)
        assert stored is not None and stored.status is VisitStatus.SUBMITTED
        ana = stored.visit.observation_for(household.ana.id)
        assert ana is not None and ana.reason_not_seen_alone == "Mother would not leave the room."
        assert stored.visit.next_visit_due is not None
        assert opened.workspace.visits.is_intact(visit_id)
