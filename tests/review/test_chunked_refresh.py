"""The review index is refreshed in short transactions (pending records a chunk at a time,
pending visits queued a batch of children at a time with their flags, then any children
still marked). A laptop killed part-way leaves the rest pending or marked, never a queued
visit without its flags, and the next refresh ends exactly where an uninterrupted one would."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from records.flags import FlagRules, child_flags
from storage.review_folds import MARKED
from storage.review_index import PENDING_CHUNK, ReviewIndex
from storage.transactions import Connection
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_observation, make_visit
from tests.review.team import (
    WorkerDevice,
    child_changes,
    enroll_as_team_lead,
    pull,
    returned_with_question,
    sibling_families,
)
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
VISITS = 2 * PENDING_CHUNK + 100

# Runs in its own process: refreshes the index and is killed (SIGKILL) right after the
# n-th call of one of ReviewIndex's steps returns, inside that step's transaction.
KILLED_PART_WAY = """
import os, signal, sys
from datetime import datetime
from pathlib import Path
from records.flags import FlagRules
import storage.review_index
from storage.review_index import ReviewIndex
from storage.vault import Vault
from tests.vaults import PASSPHRASE, FixedClock

directory, step, nth, now = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
storage.review_index.BATCH = int(sys.argv[5])
original = getattr(ReviewIndex, step)
calls = []

def then_killed(self, *args, **kwargs):
    result = original(self, *args, **kwargs)
    calls.append(step)
    if len(calls) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(ReviewIndex, step, then_killed)
vault = Vault.unlock(directory, PASSPHRASE)
ReviewIndex(vault.connection, FlagRules(), FixedClock(datetime.fromisoformat(now))).refresh(
    daily=False)
"""


@pytest.fixture(scope="module")
def pulled_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """`_pulled_team`'s vault, made once for the module (each test takes a copy)."""
    from tests.conftest import kept_for_the_session

    directory = tmp_path_factory.mktemp("pulled-team") / "lead"
    with kept_for_the_session():
        pending = _pulled_team(directory)
    return directory, pending


@pytest.fixture
def pulled_team(pulled_template: tuple[Path, int]) -> Callable[[Path], int]:
    """Makes `directory` a copy of the pulled team lead's vault; its pending count."""
    def copy(directory: Path) -> int:
        shutil.copytree(pulled_template[0], directory)
        return pulled_template[1]
    return copy


def _pulled_team(directory: Path) -> int:
    """A team lead's vault with 6 children and VISITS visits pulled, none indexed yet."""
    chance = random.Random(9)
    with new_vault(directory, PASSPHRASE) as vault:
        conn = vault.connection
        Workspace.over(conn, actor="northlead", clock=FixedClock(NOW))
        enroll_as_team_lead(conn)
        device, lead = WorkerDevice.make("north1"), WorkerDevice.make("northlead")
        families = sibling_families(3)
        pull(conn, child_changes(families, 1))
        changes = []
        for n in range(VISITS):
            case, children = families[n % 3]
            on_visit = children if chance.random() < 0.5 else children[1:]
            start = NOW - timedelta(days=chance.randint(1, 90), hours=3)
            visit = make_visit(case, on_visit, started_at=start,
                               ended_at=start + timedelta(hours=1),
                               children=tuple(make_observation(
                                   child, seen_alone=(alone := chance.random() < 0.7),
                                   reason_not_seen_alone="" if alone else "Father present.")
                                   for child in on_visit))
            changes.append(device.change(visit, 100 + n))
        first = changes[0]
        changes.append(returned_with_question(
            lead, uuid.UUID(json.loads(first.record)["id"]), first.record_hash or "",
            "Was she seen alone?", NOW - timedelta(days=1), 100 + VISITS)[1])
        for page in range(0, len(changes), 400):
            pull(conn, changes[page:page + 400])
        return int(conn.execute("SELECT count(*) FROM review_pending").fetchone()[0])


def killed_after(directory: Path, step: str, nth: int, batch: int = 250) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_PART_WAY, str(directory), step,
                           str(nth), NOW.isoformat(), str(batch)], cwd=ROOT,
                          capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == -9, done.stderr.decode()


def count(conn: Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def assert_fully_indexed(conn: Connection, visits: int = VISITS) -> None:
    """What an uninterrupted refresh leaves: every visit queued, child_flags' own flags."""
    index = ReviewIndex(conn, FlagRules(), FixedClock(NOW))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert count(conn, "SELECT count(*) FROM review_pending") == 0
    assert count(conn, "SELECT count(*) FROM review_visits") == visits
    assert Counter(r[0] for r in conn.execute("SELECT decision FROM review_visits")) == {
        "awaiting": visits - 1, "returned": 1}
    assert count(conn, "SELECT count(*) FROM review_children") == 6
    assert count(conn, f"SELECT count(*) FROM review_children WHERE computed_on = "
                       f"'{MARKED}'") == 0
    every = [uuid.UUID(r[0]) for r in conn.execute("SELECT id FROM children")]
    expected = Counter(
        (str(f.child_id), f.code.value, f.severity.value, f.reason, f.source,
         f.since.isoformat(), json.dumps([str(v) for v in f.visit_ids]))
        for history in index.histories(every)
        for f in child_flags(history.child, history.visits, now=NOW, rules=FlagRules()))
    assert sum(expected.values()) > 6  # flags were raised, not an empty match
    assert Counter(conn.execute(
        "SELECT child_id, code, severity, reason, source, since, visit_ids"
        " FROM review_flags").fetchall()) == expected


def queued_without_flags(conn: Connection) -> int:
    """Queued visits with a child whose flags are not computed (no row, or marked)."""
    return count(conn, "SELECT count(DISTINCT v.visit_id) FROM review_visits AS v"
                       " JOIN review_visit_children AS vc ON vc.visit_id = v.visit_id"
                       " LEFT JOIN review_children AS c ON c.child_id = vc.child_id"
                       f" WHERE c.child_id IS NULL OR c.computed_on = '{MARKED}'")


def test_killed_while_queueing_leaves_no_visit_queued_without_its_flags(
        tmp_path: Path, pulled_team: Callable[[Path], int]) -> None:
    """Killed inside the transaction that queues a batch's visits: those visits are still
    pending and none is in the queue; batches committed before it are queued with every
    one of their children's flags."""
    pending = pulled_team(tmp_path / "lead")
    assert pending == 6 + VISITS + 1
    killed_after(tmp_path / "lead", "_index_visits", 2, batch=2)
    with Vault.unlock(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        queued = count(conn, "SELECT count(*) FROM review_visits")
        assert 0 < queued < VISITS  # the first batch committed, the second did not
        assert queued_without_flags(conn) == 0
        assert count(conn, "SELECT count(*) FROM review_pending WHERE kind = 'visit'") == \
            VISITS - queued
        report = ReviewIndex(conn, FlagRules(), FixedClock(NOW)).refresh(daily=False)
        assert report.records_indexed == VISITS - queued
        assert_fully_indexed(conn)


def test_killed_while_indexing_other_records_leaves_the_rest_pending(
        tmp_path: Path, pulled_team: Callable[[Path], int]) -> None:
    pending = pulled_team(tmp_path / "lead")
    killed_after(tmp_path / "lead", "_compute", 1)
    with Vault.unlock(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        # The child records and the question were indexed (one chunk); the visits' batch
        # died with the process: nothing of it queued, all of it pending.
        assert count(conn, "SELECT count(*) FROM review_pending") == VISITS
        assert count(conn, "SELECT count(*) FROM review_visits") == 0
        assert count(conn, "SELECT count(*) FROM review_flags") == 0
        report = ReviewIndex(conn, FlagRules(), FixedClock(NOW)).refresh(daily=False)
        assert report.records_indexed == VISITS
        assert report.children_recomputed == 6
        assert_fully_indexed(conn)
    assert pending == 6 + VISITS + 1


def test_a_pull_onto_indexed_children_is_queued_with_their_flags(
        tmp_path: Path, pulled_team: Callable[[Path], int]) -> None:
    """A visit pulled onto an indexed child is queued in the transaction that recomputes
    the child: killed before it commits, the visit is still pending, not queued with the
    child's old flags, and the next refresh queues it and recomputes the child."""
    pulled_team(tmp_path / "lead")
    with Vault.unlock(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        ReviewIndex(conn, FlagRules(), FixedClock(NOW)).refresh(daily=False)
        assert_fully_indexed(conn)
        cases = Workspace.over(conn, actor="northlead", clock=FixedClock(NOW)).cases
        case = cases.cases()[0]
        child = cases.children(case.id)[0]
        late = make_visit(case, [child], started_at=NOW - timedelta(hours=5),
                          ended_at=NOW - timedelta(hours=4),
                          children=(make_observation(child, seen_alone=False,
                                                     reason_not_seen_alone="Asleep."),))
        pull(conn, [WorkerDevice.make("north1").change(late, 5000)])
    killed_after(tmp_path / "lead", "_store", 1)
    with Vault.unlock(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        assert count(conn, "SELECT count(*) FROM review_pending") == 1
        assert count(conn, "SELECT count(*) FROM review_visits") == VISITS
        assert queued_without_flags(conn) == 0
        report = ReviewIndex(conn, FlagRules(), FixedClock(NOW)).refresh(daily=False)
        assert (report.records_indexed, report.children_recomputed) == (1, 1)
        assert_fully_indexed(conn, VISITS + 1)


def test_a_child_recomputed_between_link_and_queue_still_ranks_its_visits(
        tmp_path: Path, pulled_team: Callable[[Path], int]) -> None:
    """Killed after the pending visits were linked, before any was queued; a note recorded
    then recomputes a child (its links take its flags): the next refresh still queues each
    visit with its children's worst flag, not as a visit without flags."""
    pulled_team(tmp_path / "lead")
    killed_after(tmp_path / "lead", "_link_pending_visits", 1)
    with Vault.unlock(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        assert count(conn, "SELECT count(*) FROM review_visits") == 0
        index = ReviewIndex(conn, FlagRules(), FixedClock(NOW))
        index.recompute([uuid.UUID(r[0]) for r in conn.execute("SELECT id FROM children")])
        index.refresh(daily=False)
        assert_fully_indexed(conn)
        assert count(conn, "SELECT count(*) FROM review_visits AS v WHERE v.rank !="
                           " (SELECT min(vc.rank) FROM review_visit_children AS vc"
                           "  WHERE vc.visit_id = v.visit_id)") == 0
        assert count(conn, "SELECT count(*) FROM review_visits WHERE rank < 2") > 0
