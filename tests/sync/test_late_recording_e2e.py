"""Late recording, end to end: a visit recorded on time on a laptop with no signal and synced
days later is not late on the team lead's laptop; one recorded late is. A real central
process (SQLite and PostgreSQL) and two real vaults, synced with `homevisit sync`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from records.flags import FlagCode, FlagRules
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from tests.factories import make_observation, make_visit
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_end_to_end import enrolled
from tests.vaults import FixedClock


def submit_at(worker: Laptop, started: datetime, submitted: datetime) -> uuid.UUID:
    """A one-hour visit to the laptop's first child, submitted with the laptop's clock at
    `submitted` (and not synced until later)."""
    with worker.workspace(FixedClock(submitted)) as workspace:
        case = workspace.cases.cases()[0]
        (ana,) = workspace.cases.children(case.id)
        visit = make_visit(case, [ana], children=(make_observation(ana),), started_at=started,
                           ended_at=started + timedelta(hours=1))
        workspace.visits.save_draft(visit)
        workspace.visits.submit(visit)
        return visit.id


def test_late_recording_counts_to_the_laptops_submission_not_to_the_sync(
        central: CentralProcess, tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    now = datetime.now(UTC)
    started = now - timedelta(days=10)  # at least 6 working days before central gets it
    on_time = submit_at(worker, started, started + timedelta(hours=2))
    late = submit_at(worker, started, started + timedelta(days=7))
    sent = worker.sync()
    assert sent.returncode == 0, sent.stderr
    assert "Sent 2" in sent.stdout

    lead = enrolled(central, tmp_path, "northlead")
    pulled = lead.sync()
    assert pulled.returncode == 0, pulled.stderr
    clock = FixedClock(datetime.now(UTC))
    with lead.workspace(clock) as workspace:
        conn = workspace.outbox._conn
        stored = dict(conn.execute(
            "SELECT id, central_submitted_at FROM received_records WHERE kind = 'visit'"))
        # Stored as the worker's laptop said (its outbox op is made with the submission).
        assert abs(datetime.fromisoformat(stored[str(on_time)]) - (started + timedelta(
            hours=2))) < timedelta(seconds=1)
        index = ReviewIndex(conn, FlagRules(), clock)
        index.refresh()
        (ana,) = index.children_of_visit(on_time)
        late_flags = [f for f in ReviewQueries(conn).flags_of_child(ana)
                      if f.code is FlagCode.LATE_RECORDING]
        assert [f.visit_ids for f in late_flags] == [(late,)]
        assert "working days later" in late_flags[0].reason
