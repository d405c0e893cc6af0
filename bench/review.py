"""The team lead's queue and dashboard after a pull, on a team of 5,000 children.

Workload: a team lead's real vault (SQLCipher, production pragmas) holding 5,000 children
and 100,000 signed visits (20 a child), applied through `SyncLedger.apply_changes` in pages
of 500 as a pull does, then indexed once. Measured, each repeated:

* a pull of one new visit, with its flags recomputed incrementally (one child's history);
* the same pull, then the review screen's queue (count + first page into the table model)
  and dashboard read on the vault lane and painted: "after a pull" to "on screen";
* for comparison, the first index: every child's flags from scratch (what a daily refresh
  does, in chunks, in the background).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/review.py [CHILDREN] [VISITS_PER_CHILD]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.case import Case, Child
from records.flags import FlagRules
from records.visit import FoodConcern
from storage.review_index import ReviewIndex
from storage.vault import Vault
from storage.workspace import Workspace
from sync.protocol import Change
from tests.factories import make_case, make_child, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.vaults import FAST_KDF, PASSPHRASE, FixedClock

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
WORKERS = 25
PAGE = 500
ROUNDS = 7


def team(children: int) -> list[tuple[Case, Child]]:
    made = []
    for n in range(children):
        worker = f"worker{n % WORKERS:02d}"
        case = make_case().model_copy(update={"allocated_worker": worker, "team": "North",
                                              "reference": f"CP-{n:05d}"})
        made.append((case, make_child(case, given_name=f"Child{n}")))
    return made


def visit_change(device: WorkerDevice, case: Case, child: Child, day: int,
                 position: int) -> Change:
    start = NOW - timedelta(days=day, hours=5)
    alone = day % 3 != 0
    observation = make_observation(
        child, seen_alone=alone, reason_not_seen_alone="" if alone else "Mother present.",
        food_concern=FoodConcern.POSSIBLE if day % 7 == 0 else FoodConcern.NONE,
        food_concern_details="Hungry." if day % 7 == 0 else "")
    visit = make_visit(case, [child], children=(observation,), started_at=start,
                       ended_at=start + timedelta(hours=1))
    return device.change(visit, position)


def main() -> None:
    children = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    per_child = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from ui.background import wait_for_background_work
    from ui.review_screen import ReviewScreen

    app = QApplication.instance() or QApplication([])
    clock = FixedClock(NOW)
    with tempfile.TemporaryDirectory() as folder, \
            Vault.create(Path(folder) / "lead", PASSPHRASE, kdf=FAST_KDF) as vault:
        conn = vault.connection
        workspace = Workspace.over(conn, actor="northlead", clock=clock)
        enroll_as_team_lead(conn)
        members = team(children)
        devices = {f"worker{n:02d}": WorkerDevice.make(f"worker{n:02d}") for n in range(WORKERS)}
        started = time.perf_counter()
        position = 1
        batch = child_changes([(c, [k]) for c, k in members], position)
        position += len(batch)
        pull(conn, batch)
        batch = []
        for round_ in range(per_child):
            for case, child in members:
                batch.append(visit_change(devices[case.allocated_worker], case, child,
                                          1 + round_ * 14, position))
                position += 1
                if len(batch) == PAGE:
                    pull(conn, batch)
                    batch = []
        if batch:
            pull(conn, batch)
        pulled = time.perf_counter() - started
        index = ReviewIndex(conn, FlagRules(), clock)
        started = time.perf_counter()
        built = index.refresh()
        scratch = time.perf_counter() - started
        visits = conn.execute("SELECT count(*) FROM review_visits").fetchone()[0]
        print(f"team: {children} children, {visits} visits, {WORKERS} workers; pulled in "
              f"{pulled:.0f} s; first index (every child from scratch) {scratch:.1f} s "
              f"({built.children_recomputed} children)")

        services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
        screen = ReviewScreen(services, NOW.date())
        screen.resize(1200, 800)
        screen.show()
        loop = QEventLoop()
        incremental, on_screen, recomputed = [], [], []
        for round_ in range(ROUNDS):
            case, child = members[(round_ * 997) % len(members)]
            change = visit_change(devices[case.allocated_worker], case, child, 0, position)
            position += 1
            started = time.perf_counter()
            pull(conn, [change])
            report = index.refresh()
            incremental.append(time.perf_counter() - started)
            recomputed.append(report.children_recomputed)
            started = time.perf_counter()
            shown = {"queue": False, "dashboard": False}
            screen.model.loaded.connect(lambda shown=shown: shown.__setitem__("queue", True))
            screen.reload()
            while not (shown["queue"] and screen.workers.rowCount() == WORKERS):
                loop.processEvents()
            screen.grab()  # paint the queue and the dashboard tab's table
            screen.tabs.setCurrentIndex(1)
            screen.grab()
            screen.tabs.setCurrentIndex(0)
            on_screen.append(time.perf_counter() - started + incremental[-1])
            screen.model.loaded.disconnect()
            screen.model.loaded.connect(screen._queue_loaded)
        wait_for_background_work()
        print(f"pull of 1 visit + incremental flags: median "
              f"{statistics.median(incremental) * 1000:.0f} ms "
              f"(children recomputed: {sorted(set(recomputed))})")
        print(f"pull of 1 visit -> queue ({screen.model.total} open, first page "
              f"{len(screen.model.rows)} rows) and dashboard painted: median "
              f"{statistics.median(on_screen) * 1000:.0f} ms, worst "
              f"{max(on_screen) * 1000:.0f} ms")
        print(f"for comparison, every child's flags from scratch: {scratch:.1f} s "
              f"({scratch / max(statistics.median(incremental), 1e-9):.0f}x the "
              "incremental pull)")
        screen.close()
        screen.deleteLater()
        loop.processEvents()
    del app


if __name__ == "__main__":
    main()
