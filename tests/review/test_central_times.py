"""Central's times on the team lead's laptop: late recording counts to when central received the
visit, and "device not synced" comes from when central last heard from the worker's laptop.

Real vault; the records arrive through `SyncLedger.apply_changes` as a pull page does, with the
fields central sends to a pull that asks for `times`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.case import Case, Child
from records.flags import FlagCode, FlagRules, Severity
from records.visit import ExplanationSource
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from storage.transactions import Connection
from storage.workspace import Workspace
from sync.ledger import SyncLedger
from sync.protocol import DeviceContact, RefusedLaptop
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.vaults import PASSPHRASE, FixedClock, new_vault
from ui.review.review_screen import ReviewScreen
from ui.widgets.theme import colours

NOW = datetime(2027, 1, 8, 12, 0, tzinfo=UTC)


@dataclass
class Lead:
    conn: Connection
    clock: FixedClock
    services: VaultReviewServices
    case: Case
    ana: Child
    device: WorkerDevice
    position: int = 10

    def pull_visit(self, on: date, received: datetime | None, *,
                   sibling_explained_bruise: bool = False) -> uuid.UUID:
        start = datetime(on.year, on.month, on.day, 10, tzinfo=UTC)
        observation = make_observation(self.ana, injuries_seen=True, injuries=(make_injury(
            explanation_given_by=ExplanationSource.SIBLING),)) if sibling_explained_bruise \
            else make_observation(self.ana)
        visit = make_visit(self.case, [self.ana], children=(observation,),
                           started_at=start, ended_at=start + timedelta(hours=1))
        change = self.device.change(visit, self.position)
        self.position += 1
        pull(self.conn, [change.model_copy(update={"received_at": received})])
        ReviewIndex(self.conn, FlagRules(), self.clock).refresh()
        return visit.id

    def contacts(self, *contacts: DeviceContact) -> None:
        SyncLedger(self.conn).apply_changes([], self.position, list(contacts))

    def contact(self, last: datetime | None, username: str = "north1") -> DeviceContact:
        return DeviceContact(device_id=self.device.device_id, username=username,
                             last_contact_at=last)


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Lead]:
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        clock = FixedClock(NOW)
        workspace = Workspace.over(vault.connection, actor="northlead", clock=clock)
        enroll_as_team_lead(vault.connection)
        case = make_case().model_copy(update={"allocated_worker": "north1", "team": "North"})
        ana = make_child(case)
        pull(vault.connection, child_changes([(case, [ana])], 1))
        services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
        yield Lead(vault.connection, clock, services, case, ana, WorkerDevice.make("north1"))


def late_flag(lead: Lead, visit_id: uuid.UUID) -> Severity | None:
    found = [f for f in ReviewQueries(lead.conn).flags_of_child(lead.ana.id)
             if f.code is FlagCode.LATE_RECORDING and visit_id in f.visit_ids]
    return found[0].severity if found else None


def received_on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 16, tzinfo=UTC)


def test_late_recording_counts_working_days_to_centrals_receipt_over_christmas(
        lead: Lead) -> None:
    christmas_eve = date(2026, 12, 24)  # then Christmas, a weekend and Boxing Day's Monday
    in_time = lead.pull_visit(christmas_eve, received_on(date(2026, 12, 30)))
    late = lead.pull_visit(christmas_eve, received_on(date(2026, 12, 31)))
    assert late_flag(lead, in_time) is None
    assert late_flag(lead, late) is Severity.AMBER
    (flag,) = [f for f in ReviewQueries(lead.conn).flags_of_child(lead.ana.id)
               if f.code is FlagCode.LATE_RECORDING]
    assert "submitted on 31 Dec 2026, 3 working days later" in flag.reason


def test_late_recording_over_a_weekend_edge_and_a_record_without_centrals_time(
        lead: Lead) -> None:
    thursday = date(2026, 12, 31)  # then New Year's Day (a Friday) and a weekend
    on_time = lead.pull_visit(thursday, received_on(date(2027, 1, 5)))  # Mon 4th, Tue 5th
    too_late = lead.pull_visit(thursday, received_on(date(2027, 1, 6)))
    unknown = lead.pull_visit(thursday, None)  # pulled from a central that did not say
    assert late_flag(lead, on_time) is None
    assert late_flag(lead, too_late) is Severity.AMBER
    assert late_flag(lead, unknown) is None  # its end stands in: not late


def test_a_red_flag_visit_is_late_24_hours_after_it_ended_by_centrals_receipt(
        lead: Lead) -> None:
    monday = date(2027, 1, 4)
    ended = datetime(2027, 1, 4, 11, tzinfo=UTC)
    in_time = lead.pull_visit(monday, ended + timedelta(hours=24),
                              sibling_explained_bruise=True)
    late = lead.pull_visit(monday, ended + timedelta(hours=24, minutes=1),
                           sibling_explained_bruise=True)
    assert late_flag(lead, in_time) is None
    assert late_flag(lead, late) is Severity.RED


def test_device_not_synced_fires_just_after_24_hours_of_centrals_last_contact(
        lead: Lead) -> None:
    lead.pull_visit(date(2027, 1, 7), received_on(date(2027, 1, 7)))

    def device_flags() -> list[str]:
        return [f.reason for f in lead.services.chronology(lead.ana.id).flags
                if f.code is FlagCode.DEVICE_NOT_SYNCED]

    (load,) = lead.services.dashboard().workers
    assert load.last_device_contact is None and device_flags() == []  # central never said

    lead.contacts(lead.contact(NOW - timedelta(hours=24)))
    (load,) = lead.services.dashboard().workers
    assert load.last_device_contact == NOW - timedelta(hours=24)
    assert load.unsynced_hours is None and device_flags() == []

    lead.contacts(lead.contact(NOW - timedelta(hours=24, seconds=1)))
    (load,) = lead.services.dashboard().workers
    assert load.unsynced_hours == 24
    assert device_flags() == ["The worker's laptop has not synced for 24 hours (last contact "
                              "7 Jan 2027 at 11:59); newer visits may not be here."]


def test_the_latest_of_a_workers_laptops_counts_and_a_page_replaces_the_list(
        lead: Lead) -> None:
    lead.pull_visit(date(2027, 1, 7), received_on(date(2027, 1, 7)))
    old = DeviceContact(device_id=uuid.uuid4(), username="north1",
                        last_contact_at=NOW - timedelta(days=30))
    lead.contacts(old, lead.contact(NOW - timedelta(hours=2)))
    (load,) = lead.services.dashboard().workers
    assert load.last_device_contact == NOW - timedelta(hours=2) and load.unsynced_hours is None
    lead.contacts(old)  # the recent laptop was revoked: central no longer lists it
    (load,) = lead.services.dashboard().workers
    assert load.last_device_contact == NOW - timedelta(days=30)
    assert load.unsynced_hours == 30 * 24


def last_sync(screen: ReviewScreen) -> str:
    cell = screen.workers.item(0, 8)
    assert cell is not None
    return cell.text()


def test_the_dashboard_shows_the_last_sync_and_how_long_ago(lead: Lead,
                                                            qapp: QApplication) -> None:
    lead.pull_visit(date(2027, 1, 7), received_on(date(2027, 1, 7)))
    lead.contacts(lead.contact(NOW - timedelta(hours=30)))
    screen = ReviewScreen(lead.services, NOW.date())
    screen.show_dashboard(lead.services.dashboard())
    assert last_sync(screen) == "07 Jan 2027 06:00 — not synced for 30 hours"
    lead.contacts(lead.contact(NOW - timedelta(hours=1)))
    screen.show_dashboard(lead.services.dashboard())
    assert last_sync(screen) == "08 Jan 2027 11:00"
    screen.deleteLater()


def test_the_dashboard_shows_records_waiting_on_a_revoked_laptop(lead: Lead,
                                                                qapp: QApplication) -> None:
    lead.pull_visit(date(2027, 1, 7), received_on(date(2027, 1, 7)))
    revoked = [RefusedLaptop(device_id=uuid.uuid4(), username="north1", status="revoked",
                             last_contact_at=NOW - timedelta(hours=1), unsent_records=n)
               for n in (3, 2)]
    ledger = SyncLedger(lead.conn)
    ledger.apply_changes([], lead.position, [lead.contact(NOW - timedelta(hours=1))], revoked)
    (load,) = lead.services.dashboard().workers
    assert (load.refused_laptops, load.waiting_on_refused) == (2, 5)
    screen = ReviewScreen(lead.services, NOW.date())
    screen.show_dashboard(lead.services.dashboard())
    assert last_sync(screen) == "08 Jan 2027 11:00; 5 records waiting on a revoked laptop"
    cell = screen.workers.item(0, 8)
    assert cell is not None and cell.foreground().color() == colours().amber
    # A laptop from before protocol 4 does not say what waits on it: it is still named.
    ledger.apply_changes([], lead.position, None, [revoked[0].model_copy(
        update={"unsent_records": None})])
    screen.show_dashboard(lead.services.dashboard())
    assert last_sync(screen) == "08 Jan 2027 11:00; a laptop revoked"
    ledger.apply_changes([], lead.position, None, [revoked[0].model_copy(
        update={"unsent_records": 1})])
    screen.show_dashboard(lead.services.dashboard())
    assert last_sync(screen) == "08 Jan 2027 11:00; 1 record waiting on a revoked laptop"
    ledger.apply_changes([], lead.position, None, [])  # let back in: no longer listed
    screen.show_dashboard(lead.services.dashboard())
    assert last_sync(screen) == "08 Jan 2027 11:00"
    screen.deleteLater()
