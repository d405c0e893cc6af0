"""On a worker's laptop, the visits that came with a child allocated to them (pulled with
`history=true`) count towards the child's last sighting, and leave as the worker's own
visits do: when the child leaves the caseload, and after the days on device (when the
child was last seen stays)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.policy import Policy
from desktop_app.services import VaultServices
from desktop_app.session import Session
from records.canonical import canonical_json, hash_bytes
from records.case import Case, Child
from records.corrections import Addendum
from records.flags import FlagCode, FlagRules
from records.schedule import VisitStandards, WorkingCalendar
from storage.audit import AuditAction, AuditLog
from storage.caseload import caseload
from storage.purge import purge_pulled_visits
from storage.review_index import ReviewIndex
from storage.transactions import Connection
from storage.workspace import Workspace
from sync.protocol import Change, ChangeKind, ChildRemoved
from tests.factories import NOW, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_worker, one_child_case, pull
from tests.vaults import PASSPHRASE, FixedClock, add_to_caseload, new_vault


def _pulled(conn: object) -> int:
    return int(conn.execute(  # type: ignore[attr-defined]
        "SELECT count(*) FROM received_records WHERE kind IN ('visit', 'addendum')").fetchone()[0])


def audit_of(conn: Connection) -> AuditLog:
    return Workspace.over(conn, actor="north2").audit


def ana_on_north2s_laptop(conn: Connection) -> tuple[Case, Child]:
    """north2's laptop, enrolled, with Ana allocated to them pulled from central."""
    enroll_as_worker(conn, "north2")
    case, ana = one_child_case("north2")
    pull(conn, child_changes([(case, [ana])], 1))
    return case, ana


def test_a_visit_and_its_childs_removal_in_one_page_leave_nothing_behind(
        tmp_path: Path) -> None:
    """The removal is applied after the page's records are stored: a visit about the child
    earlier in the same page goes too (it was stored after the removal, and stayed)."""
    with new_vault(tmp_path / "worker", PASSPHRASE) as vault:
        conn = vault.connection
        case, ana = ana_on_north2s_laptop(conn)
        earlier = WorkerDevice.make("north1")
        visit = make_visit(case, [ana], children=(make_observation(ana),))
        removal = ChildRemoved(id=ana.id, case_id=case.id)
        pull(conn, [earlier.change(visit, 2),
                    Change(position=3, kind=ChangeKind.CHILD_REMOVED,
                           record=canonical_json(removal).decode())])
        assert _pulled(conn) == 0


def test_pulled_visits_leave_after_the_days_on_device_keeping_when_the_child_was_seen(
        tmp_path: Path) -> None:
    with new_vault(tmp_path / "worker", PASSPHRASE) as vault:
        conn = vault.connection
        case, ana = ana_on_north2s_laptop(conn)
        visit = make_visit(case, [ana], children=(make_observation(ana),))
        received = WorkerDevice.make("north1").change(visit, 2).model_copy(
            update={"received_at": NOW})  # when central received it
        pull(conn, [received])
        ReviewIndex(conn, FlagRules()).refresh(daily=False)

        def ana_row() -> tuple[object, ...]:
            (row,) = caseload(conn, VisitStandards(), WorkingCalendar())
            return row.last_seen, row.seen_alone_when_last_seen, row.next_visit_due

        before = ana_row()
        assert before[0] == visit.visit_date
        assert purge_pulled_visits(conn, audit_of(conn), now=NOW + timedelta(days=89),
                                   days_on_device=90) == 0
        audit = audit_of(conn)
        assert purge_pulled_visits(conn, audit, now=NOW + timedelta(days=120),
                                   days_on_device=90) == 1
        assert [(e.action, e.subject_kind, e.subject_id) for e in audit.entries(limit=1)] == [
            (AuditAction.VISIT_PURGED, "pulled_visit", str(visit.id))]
        assert _pulled(conn) == 0
        assert ana_row() == before


def test_a_visit_submitted_on_time_and_opened_weeks_later_is_not_late(tmp_path: Path) -> None:
    """The flags shown on a submitted visit count from when it was submitted, as stored,
    not from when it is opened (the editor and its PDF ask for them)."""
    with new_vault(tmp_path / "worker", PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="J. Okafor", clock=FixedClock(NOW))
        enroll_as_worker(vault.connection, "north1")
        case, ana = one_child_case("north1")
        add_to_caseload(workspace, case, ana)
        visit = make_visit(case, [ana], children=(make_observation(ana),))
        workspace.visits.save_draft(visit)
        workspace.visits.submit(visit)  # the same afternoon
        services = VaultServices(Session(vault, workspace), Policy())
        assert datetime.now(UTC) - NOW > timedelta(days=14)  # opened weeks later
        assert FlagCode.LATE_RECORDING not in {f.code for f in services.flags_if_submitted(visit)}


def test_an_addendum_that_arrives_after_its_visit_left_leaves_too(tmp_path: Path) -> None:
    """The purge took an old visit that came with Ana; an addendum to it, written at central
    later, arrives for a visit the laptop no longer holds. It leaves at the next purge,
    rather than staying for good."""
    with new_vault(tmp_path / "worker", PASSPHRASE) as vault:
        conn = vault.connection
        case, ana = ana_on_north2s_laptop(conn)
        device = WorkerDevice.make("north1")
        visit = make_visit(case, [ana], children=(make_observation(ana),))
        pull(conn, [device.change(visit, 2).model_copy(update={"received_at": NOW})])
        later = NOW + timedelta(days=120)
        assert purge_pulled_visits(conn, audit_of(conn), now=later, days_on_device=90) == 1
        note = Addendum(id=uuid.uuid4(), visit_id=visit.id,
                        previous_hash=hash_bytes(canonical_json(visit)), reason="Left out",
                        text="Her grandmother was there.", author="M. Adeyemi",
                        written_at=later)
        frozen = canonical_json(note)
        pull(conn, [Change(position=3, kind=ChangeKind.ADDENDUM, record=frozen.decode(),
                           record_hash=hash_bytes(frozen), device_id=device.device_id,
                           submitted_by="north1", received_at=later)])
        ReviewIndex(conn, FlagRules()).refresh(daily=False)
        assert _pulled(conn) == 1
        purge_pulled_visits(conn, audit_of(conn), now=later, days_on_device=90)
        assert _pulled(conn) == 0
        assert conn.execute("SELECT count(*) FROM review_links").fetchone()[0] == 0
