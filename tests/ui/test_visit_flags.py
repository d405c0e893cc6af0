"""Before submitting, the worker sees the flags this visit will leave for their team lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.policy import Policy
from tests.factories import make_observation, make_visit
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import (
    answer,
    fill_child,
    fill_visit_except_children,
    start_visit_for_selected,
)

NOT_ALONE_AGAIN = "Red: Ana was not seen alone at the last visit either."


def alone(panel: object) -> list[str]:
    """The panel's sentences less the visit's lateness (the household's plans began weeks
    before its first visit, so each visit is also flagged as made after it was due)."""
    return [s for s in panel.sentences()  # type: ignore[attr-defined]
            if "visit was due" not in s]


def submit_earlier_visit_not_alone(household: Household) -> None:
    """Last week's visit, already submitted: Ana was not seen alone."""
    started = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=7)
    visit = make_visit(
        household.case, [household.ana], started_at=started,
        ended_at=started + timedelta(hours=1),
        children=(make_observation(household.ana, seen_alone=False,
                                   reason_not_seen_alone="Mother would not leave the room."),),
    )
    with sessions.unlock(household.directory, PASSPHRASE, Policy()) as opened:
        opened.workspace.visits.submit(visit)


def test_second_visit_not_alone_is_flagged_red_and_clears_when_answered_yes(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    submit_earlier_visit_not_alone(household)
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    panel = editor.flags_panel
    fill_visit_except_children(qtbot, editor)
    ana_page, tomasz_page = editor.child_pages
    fill_child(qtbot, tomasz_page)
    fill_child(qtbot, ana_page, alone=False, reason="Mother stayed in the room.")

    qtbot.waitUntil(lambda: alone(panel) == [NOT_ALONE_AGAIN], timeout=10_000)
    assert panel.flagged
    assert "Southwark" in panel.list.item(0).toolTip()

    answer(qtbot, ana_page.essentials.form, "seen_alone", True)
    qtbot.waitUntil(lambda: alone(panel) == [], timeout=10_000)
    assert panel.isVisible()  # the region stays: nothing moves


def test_one_visit_not_alone_is_amber_and_spoken_of_as_this_visit(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    fill_visit_except_children(qtbot, editor)
    ana_page, tomasz_page = editor.child_pages
    fill_child(qtbot, ana_page)
    fill_child(qtbot, tomasz_page, alone=False, reason="Asleep on his mother.")
    panel = editor.flags_panel
    qtbot.waitUntil(lambda: alone(panel) == ["Amber: Tomasz was not seen alone at this "
                                             "visit."], timeout=10_000)
    answer(qtbot, tomasz_page.essentials.form, "seen_alone", True)
    qtbot.waitUntil(lambda: alone(panel) == [], timeout=10_000)


def test_after_submitting_the_visit_keeps_its_flags_for_the_team_lead(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    submit_earlier_visit_not_alone(household)
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    fill_visit_except_children(qtbot, editor)
    ana_page, tomasz_page = editor.child_pages
    fill_child(qtbot, ana_page, alone=False, reason="Mother stayed in the room.")
    fill_child(qtbot, tomasz_page)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    panel = editor.flags_panel
    assert "Flagged for your team lead" in panel.heading.text()
    panel.show_flags([])
    editor.refresh_flags()  # now read from the vault: counted once, not again as a draft
    qtbot.waitUntil(lambda: alone(panel) == [NOT_ALONE_AGAIN], timeout=10_000)
