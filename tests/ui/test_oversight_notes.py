"""A team lead settles a repeated concern and records supervision from the child's tab, by
keyboard: the flags are worked out again at once and the notes are queued for central."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.case_notes import ConcernConsidered
from records.contracts import OperationKind
from records.flag_types import FlagCode
from records.visit import FoodConcern, Visit
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.ui.a11y import assert_accessible, headings
from tests.vaults import PASSPHRASE, FixedClock, new_vault
from ui.review.oversight_notes import ConcernConsideredDialog, SupervisionDialog
from ui.review.review_screen import ReviewScreen
from ui.widgets.background import wait_for_background_work

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def save(dialog: QDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Save).click()


@dataclass
class LeadScreen:
    """A team lead's review screen over one child's pulled visits, the child's tab open."""

    vault: Vault
    workspace: Workspace
    screen: ReviewScreen
    visits: list[Visit]

    def codes(self) -> set[FlagCode]:
        chronology = self.screen.chronology
        return {f.code for f in chronology.flags} if chronology else set()


def lead_screen(qtbot: QtBot, tmp_path: Path,
                observed: list[tuple[int, dict[str, Any]]]) -> LeadScreen:
    """Ana's visits `days` ago, her page at each as `observed` says, pulled by her team lead."""
    vault = new_vault(tmp_path / "lead", PASSPHRASE)
    clock = FixedClock(NOW)
    workspace = Workspace.over(vault.connection, actor="northlead", clock=clock)
    enroll_as_team_lead(vault.connection)
    case = make_case().model_copy(update={"allocated_worker": "north1"})
    ana = make_child(case)
    device = WorkerDevice.make("north1")
    visits = []
    for days, answers in observed:
        start = NOW - timedelta(days=days, hours=6)
        visits.append(make_visit(case, [ana], started_at=start,
                                 ended_at=start + timedelta(hours=1),
                                 children=(make_observation(ana, **answers),)))
    pull(vault.connection, child_changes([(case, [ana])], 1)
         + [device.change(v, 10 + n) for n, v in enumerate(visits)])
    services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
    screen = ReviewScreen(services, NOW.date())
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.model.loaded, timeout=15_000):
        screen.reload()
    with qtbot.waitSignal(screen.chronology_shown, timeout=15_000):
        screen.open_child(ana.id)
    return LeadScreen(vault, workspace, screen, visits)


def test_a_team_lead_settles_a_repeated_concern_and_records_supervision(
        qtbot: QtBot, tmp_path: Path) -> None:
    lead = lead_screen(qtbot, tmp_path, [
        (days, {"food_concern": FoodConcern.POSSIBLE,
                "food_concern_details": "Hungry; took food from a bin.", "injuries_seen": True,
                "injuries": (make_injury(seen_at=NOW - timedelta(days=days, hours=6)),)})
        for days in (20, 6)])
    vault, workspace, screen, visits = lead.vault, lead.workspace, lead.screen, lead.visits
    flag_codes = lead.codes

    assert {FlagCode.REPEAT_INJURIES, FlagCode.REPEATED_FOOD_CONCERN,
            FlagCode.CASE_NOT_SUPERVISED} <= flag_codes()
    assert screen.considered_button.isEnabled()
    assert_accessible(screen, "review screen with a chronology")
    assert {"Injuries, every visit", "Flags now", "Per worker"} <= set(headings(screen))

    # Two patterns: the more serious, repeat injuries, is offered first, then food.
    screen.considered_button.click()
    injuries = QApplication.activeModalWidget()
    assert isinstance(injuries, ConcernConsideredDialog)
    assert injuries.flag.code is FlagCode.REPEAT_INJURIES
    # The decision names the concerns this laptop holds: only those are settled by it.
    assert injuries.covered == tuple(v.id for v in visits)
    injuries.form.rows["decision"].field.set_value("Strategy discussion; medical on Friday.")
    save(injuries)
    qtbot.waitUntil(lambda: FlagCode.REPEAT_INJURIES not in flag_codes(), timeout=15_000)
    assert FlagCode.REPEATED_FOOD_CONCERN in flag_codes()  # each pattern is its own decision
    assert screen.considered_button.isEnabled()

    screen.considered_button.click()
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ConcernConsideredDialog)
    assert dialog.flag.code is FlagCode.REPEATED_FOOD_CONCERN
    assert_accessible(dialog, "repeated concern dialog")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # nothing written: refused, nothing recorded
    assert dialog.isVisible() and "Nothing was recorded" in dialog.message.text()
    box = dialog.form.rows["decision"].field.focusProxy() or dialog.form.rows["decision"].field
    box.setFocus()
    qtbot.keyClicks(box, "School nurse to weigh Ana weekly; discuss at core group.")
    save(dialog)
    qtbot.waitUntil(lambda: FlagCode.REPEATED_FOOD_CONCERN not in flag_codes(), timeout=15_000)
    assert not screen.considered_button.isEnabled()

    screen.supervision_button.click()
    supervision = QApplication.activeModalWidget()
    assert isinstance(supervision, SupervisionDialog)
    assert_accessible(supervision, "supervision dialog")
    assert supervision.form.value("supervisor") == "R. Team Lead"
    save(supervision)
    qtbot.waitUntil(lambda: FlagCode.CASE_NOT_SUPERVISED not in flag_codes(), timeout=15_000)
    wait_for_background_work()
    decided = [n.note for n in workspace.notes.all_notes()
               if isinstance(n.note, ConcernConsidered)]
    assert {(d.flag_code, d.covered) for d in decided} == {
        (code.value, tuple(v.id for v in visits))
        for code in (FlagCode.REPEAT_INJURIES, FlagCode.REPEATED_FOOD_CONCERN)}
    kinds = [op.kind for op in workspace.outbox.operations()]
    assert kinds.count(OperationKind.ADD_NOTE) == 3
    vault.close()


def test_a_team_lead_considers_a_child_not_seen_alone_at_visits_apart(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Not alone, alone, not alone: the running streak is one visit (amber), the pattern of
    two is red; the decision names both and settles the pattern, not the streak."""
    lead = lead_screen(qtbot, tmp_path, [
        (days, {"seen_alone": alone, "reason_not_seen_alone": "" if alone else "Mother stayed."})
        for days, alone in ((20, False), (13, True), (6, False))])
    screen, visits, codes = lead.screen, lead.visits, lead.codes

    assert {FlagCode.NOT_SEEN_ALONE, FlagCode.NOT_SEEN_ALONE_PATTERN} <= codes()
    screen.considered_button.click()
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ConcernConsideredDialog)
    assert dialog.flag.code is FlagCode.NOT_SEEN_ALONE_PATTERN
    assert dialog.covered == (visits[0].id, visits[2].id)
    dialog.form.rows["decision"].field.set_value("Ana to be seen alone at school each week.")
    save(dialog)
    qtbot.waitUntil(lambda: FlagCode.NOT_SEEN_ALONE_PATTERN not in codes(), timeout=15_000)
    assert FlagCode.NOT_SEEN_ALONE in codes()  # the latest visit still did not see her alone
    assert not screen.considered_button.isEnabled()
    wait_for_background_work()
    lead.vault.close()
