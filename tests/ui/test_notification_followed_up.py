"""A police notification recorded between visits is on the child's page at the next visit;
ticking it "discussed with Ana alone" and submitting records the follow-up in the visit,
and the flag for it goes. A notification followed up at an earlier visit is not offered."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.policy import Policy
from desktop_app.services import VaultServices
from records.case_notes import AgencyKind, AgencyNotification
from records.contracts import VisitStatus
from records.flag_types import FlagCode, FlagRules, VisitOnRecord
from records.flags import child_flags
from storage.vault import Vault
from storage.workspace import Workspace
from tests.ui.a11y import unreachable
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import (
    fill_child,
    fill_visit_except_children,
    start_visit_for_selected,
    submit,
)
from ui.visit.child_page import NotificationChecks
from ui.widgets.background import wait_for_background_work


def _police(household: Household) -> AgencyNotification:
    return AgencyNotification(
        id=uuid.uuid4(), case_id=household.case.id, child_ids=(household.ana.id,),
        source="West Midlands Police", kind=AgencyKind.POLICE_DOMESTIC_ABUSE,
        received_on=date.today(), summary="Police called at 02:10; partner arrested.",
        entered_at=datetime.now(UTC))


def test_a_notification_is_followed_up_at_the_next_visit(
        qtbot: QtBot, household: Household, make_window: Any) -> None:
    note = _police(household)
    with sessions.unlock(household.directory, PASSPHRASE, Policy()) as opened:
        services = VaultServices(opened, Policy())
        services.record_note(note)
    window = make_window(household.directory)
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    fill_visit_except_children(qtbot, editor)
    pages = {page.child.id: page for page in editor.child_pages}
    ana, tomasz = pages[household.ana.id], pages[household.tomasz.id]
    assert "notifications_followed_up" not in tomasz.seen.form.rows  # not about Tomasz
    checks = ana.seen.form.rows["notifications_followed_up"].field
    assert isinstance(checks, NotificationChecks)
    (box,) = [b for _, b in checks.boxes]
    assert "West Midlands Police" in box.text()
    for page in editor.child_pages:
        fill_child(qtbot, page)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert checks.value() == (note.id,)
    submit(qtbot, editor)
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    # Submitted: the box is still reached by Tab and read (ticked), and a Space changes
    # nothing, like every other submitted answer.
    assert box.isEnabled() and box.isChecked()
    assert unreachable(ana.seen) == []
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() and checks.value() == (note.id,)
    window.lock("checking the vault")
    wait_for_background_work()

    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="test")
        (summary,) = workspace.visits.summaries(status=VisitStatus.SUBMITTED)
        stored = workspace.visits.get(summary.id)
        assert stored is not None
        observation = stored.visit.observation_for(household.ana.id)
        assert observation is not None and observation.notifications_followed_up == (note.id,)
        assert workspace.visits.notifications_followed_up(household.ana.id) == {note.id}
    with sessions.unlock(household.directory, PASSPHRASE, Policy()) as opened:
        services = VaultServices(opened, Policy())
        again = services.start_visit(household.case.id, [household.ana.id])
        assert again.notifications[household.ana.id] == []  # followed up already
    now = datetime.now(UTC)
    before = child_flags(household.ana, [], now=now, rules=FlagRules(), notes=[note])
    after = child_flags(household.ana, [VisitOnRecord(stored.visit, now)], now=now,
                       rules=FlagRules(), notes=[note])
    assert FlagCode.AGENCY_NOT_FOLLOWED_UP in {f.code for f in before}
    assert FlagCode.AGENCY_NOT_FOLLOWED_UP not in {f.code for f in after}
