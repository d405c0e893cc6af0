"""Data minimisation: a submitted visit leaves the laptop only once central has receipted it
and every addendum to it — enforced by the schema itself, not just by the purge code."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
import sqlcipher3

from desktop_app.policy import Policy
from desktop_app.services import VaultServices
from desktop_app.session import Session
from records.case import PlanType
from records.flags import FlagCode
from records.last_seen import LastSeen, later_of
from records.schedule import VisitStandards, WorkingCalendar
from storage.caseload import caseload
from storage.purge import purge_receipted_visits
from storage.removals import remove_child
from storage.workspace import Workspace
from tests.factories import NOW, make_case, make_child, make_observation, make_visit
from tests.vaults import PASSPHRASE, FixedClock, add_to_caseload, new_vault, open_workspace


def _receipt(workspace: Workspace, subject: UUID, result: str = "accepted") -> None:
    conn = workspace.outbox._conn
    (op,) = workspace.outbox.for_subject(subject)
    conn.execute(
        "INSERT INTO sync_receipts (op_id, subject_id, result, receipt_json, stored_at)"
        " VALUES (?, ?, ?, ?, ?)", (str(op.op_id), str(subject), result, json.dumps({}), "now"))
    conn.execute("UPDATE outbox SET status = 'synced' WHERE op_id = ?", (str(op.op_id),))


def _submitted(workspace: Workspace) -> UUID:
    case = workspace.cases.cases()[0]
    visit = make_visit(case, workspace.cases.children(case.id))
    workspace.visits.save_draft(visit)
    workspace.visits.submit(visit)
    return visit.id


def test_only_receipted_old_visits_leave_and_the_schema_refuses_the_rest(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "vault") as workspace:
        case = make_case()
        add_to_caseload(workspace, case, make_child(case))
        receipted, unsent, rejected, corrected = (_submitted(workspace) for _ in range(4))
        _receipt(workspace, receipted)
        _receipt(workspace, rejected, result="rejected")
        _receipt(workspace, corrected)
        workspace.visits.add_addendum(corrected, reason="Wrong room recorded",
                                      text="Bedroom was the back room.", author="J. Okafor")
        conn = workspace.outbox._conn
        with pytest.raises(sqlcipher3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM visits WHERE id = ?", (str(unsent),))

        too_soon = purge_receipted_visits(conn, workspace.audit, now=NOW + timedelta(days=2),
                                          days_on_device=3)
        assert too_soon == []
        purged = purge_receipted_visits(conn, workspace.audit, now=NOW + timedelta(days=4),
                                        days_on_device=3)
        assert purged == [receipted]
        assert workspace.visits.get(receipted) is None
        assert workspace.outbox.for_subject(receipted) == []
        for kept in (unsent, rejected, corrected):
            assert workspace.visits.get(kept) is not None and workspace.visits.is_intact(kept)
        assert conn.execute("SELECT count(*) FROM sync_receipts").fetchone()[0] == 3
        assert any(e.action.value == "visit_purged" for e in workspace.audit.entries())


def test_a_child_seen_at_a_purged_visit_keeps_their_last_seen_date_and_due_date(
        tmp_path: Path) -> None:
    """Lena, looked after in a long-term placement, visited every six months, was seen alone
    100 days ago. The purge takes that visit after 90 days on the laptop. The caseload
    counted "last seen" from the visits on the laptop, so it said never seen, and her visit
    overdue since her placement began; now the purge keeps when she was seen, and nothing
    else of the visit, and drops it with her when she leaves the caseload."""
    standards = VisitStandards(looked_after_long_term_months=6)
    with open_workspace(tmp_path / "vault") as workspace:
        case = make_case()
        lena = make_child(case, given_name="Lena", plan=PlanType.LOOKED_AFTER).model_copy(
            update={"long_term_placement": True, "placement_start_date": date(2024, 5, 1),
                    "plan_start_date": date(2024, 5, 1)})
        add_to_caseload(workspace, case, lena)
        seen = make_visit(case, [lena], children=(make_observation(lena),))
        workspace.visits.save_draft(seen)
        workspace.visits.submit(seen)
        _receipt(workspace, seen.id)
        conn = workspace.outbox._conn

        def lena_row() -> tuple[object, ...]:
            (row,) = caseload(conn, standards, WorkingCalendar())
            return row.last_seen, row.seen_alone_when_last_seen, row.next_visit_due

        before = lena_row()
        assert before == (NOW.date(), True, date(2027, 5, 16))
        purged = purge_receipted_visits(conn, workspace.audit, now=NOW + timedelta(days=100),
                                        days_on_device=90)
        assert purged == [seen.id] and workspace.visits.get(seen.id) is None
        assert lena_row() == before
        assert conn.execute("SELECT * FROM purged_sightings").fetchall() == [
            (str(lena.id), NOW.date().isoformat(), str(seen.id), 1, NOW.date().isoformat())]
        remove_child(conn, lena.id, "2027-03-01T00:00:00+00:00")
        assert conn.execute("SELECT count(*) FROM purged_sightings").fetchone()[0] == 0


def test_the_later_of_a_kept_sighting_and_the_visits_on_the_laptop_counts() -> None:
    """A sighting kept from a purged visit counts only while no visit on the laptop is later;
    the day seen alone is the later of the two."""
    day = date(2026, 8, 3)
    kept = LastSeen(day, uuid4(), True, day)
    later = LastSeen(day + timedelta(days=20), uuid4(), False, None)
    assert later_of(kept, later) == LastSeen(later.day, later.visit_id, False, day)
    assert later_of(later, kept) == LastSeen(later.day, later.visit_id, False, day)
    assert later_of(kept, LastSeen()) == kept
    assert later_of(LastSeen(), LastSeen()) == LastSeen()


def test_a_visit_after_a_purged_sighting_is_not_called_late_before_it_is_submitted(
        tmp_path: Path) -> None:
    """Lena, looked after long term and visited every six months, was seen 120 days ago; the
    purge took that visit. A visit to her today is on time: the flags shown before it is
    submitted count from the sighting kept, as the caseload does (they said "seen late",
    counting from her placement's start)."""
    policy = Policy(visit_standards=VisitStandards(looked_after_long_term_months=6))
    now = datetime.now(UTC)
    case = make_case()
    lena = make_child(case, given_name="Lena", plan=PlanType.LOOKED_AFTER).model_copy(
        update={"long_term_placement": True, "placement_start_date": date(2024, 5, 1),
                "plan_start_date": date(2024, 5, 1)})
    with new_vault(tmp_path / "vault", PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="J. Okafor",
                                   clock=FixedClock(now - timedelta(days=120)))
        add_to_caseload(workspace, case, lena)
        start = now - timedelta(days=120)
        seen = make_visit(case, [lena], children=(make_observation(lena),),
                          started_at=start, ended_at=start + timedelta(hours=1))
        workspace.visits.save_draft(seen)
        workspace.visits.submit(seen)
        _receipt(workspace, seen.id)
        conn = vault.connection
        assert purge_receipted_visits(conn, workspace.audit, now=now,
                                      days_on_device=90) == [seen.id]
        today = make_visit(case, [lena], children=(make_observation(lena),),
                           started_at=now - timedelta(hours=2),
                           ended_at=now - timedelta(hours=1))
        flags = VaultServices(Session(vault, workspace), policy).flags_if_submitted(today)
        assert FlagCode.SEEN_LATE not in {f.code for f in flags}, flags
