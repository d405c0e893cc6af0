"""The team lead's queue and dashboard after a pull, on a team of 5,000 children.

Workload: a team lead's real vault (SQLCipher, production pragmas) holding 5,000 children
and 100,000 signed visits (20 a child, from 25 workers), applied through
`SyncLedger.apply_changes` in pages of 500 as a pull applies them, then indexed once (every
child's flags from scratch, what the first sync of a new team lead does). Building it takes
many minutes, so the built vault is kept under bench/.cache/ and copied for each run
(`--rebuild` makes it again, e.g. after a schema change the migrations cannot carry).

Measured, 7 times each, on the copy:

* apply: a pull page of 100 new visits (100 children, every worker) stored by the ledger;
* flags: the review index's refresh after it: each touched child's flags recomputed from its
  history and stored (the cost per synced visit is this / 100), wall clock and the CPU time
  of the thread that ran it (the load-independent figure on a shared machine); in the app
  the sync thread runs it, before the window hears of the pull;
* on screen: the review screen's reload (what `MainWindow.pulled` triggers) until the queue
  (count + first page into the table model) and the dashboard are read on the vault lane
  and painted (offscreen);
* total: apply + flags + on screen, "central's page arrived" to "the team lead sees it".

Then one-word searches over the team's 100,000 pulled visits: the shipped design
(`storage.search`: contentless FTS5 with prefix indexes, the newest 1,000 matches ranked)
beside the design before it (version 5's: FTS5 keeping its own copy of the text, every match
ranked, then the first 50), built over the same text in the same vault.

`--caseload` instead measures the team lead's caseload over the same vault: built from
nothing, read again unchanged, and read again after each pull page of 100 visits.

`--first-index` instead measures a new team lead's first index: a copy of the vault as
pulled (100,000 visits pending, nothing indexed) refreshed from scratch, wall clock and the
CPU of the thread that ran it (target: <= 30 s).

`--compare-commit REV [--rounds N]` measures this code and the code at REV (unpacked with
`git archive`) side by side in one run, headless, each in its own process on its own copy of
the same pulled vault, alternating which goes first: the first index, then `ROUNDS` pull
pages of 100 new visits each stored and refreshed (the flags' cost a page: wall and thread
CPU), then one-word searches; a table of both at the end, with the load.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/review.py [CHILDREN] [VISITS_PER_CHILD]
     [--rebuild] [--first-index | --caseload] [--compare-commit REV [--rounds N]]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
from storage.caseload import Caseload
from storage.review_index import ReviewIndex
from storage.search import PULLED_BODY, search_pulled_visits, search_query
from storage.transactions import Connection
from storage.vault import Vault
from storage.workspace import Workspace
from sync.protocol import Change
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.vaults import FAST_KDF, PASSPHRASE, FixedClock

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
WORKERS = 25
PAGE = 500
NEW_PAGE = 100
ROUNDS = 7
CACHE = Path(__file__).resolve().parent / ".cache"


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
    """A visit like the team's: a third not seen alone, some food concerns, a few injuries."""
    start = NOW - timedelta(days=day, hours=5)
    alone = day % 3 != 0
    injuries = (make_injury(),) if (day + child.id.int % 40) % 40 == 1 else ()
    observation = make_observation(
        child, seen_alone=alone, reason_not_seen_alone="" if alone else "Mother present.",
        food_concern=FoodConcern.POSSIBLE if day % 7 == 0 else FoodConcern.NONE,
        food_concern_details="Hungry." if day % 7 == 0 else "", injuries=injuries)
    visit = make_visit(case, [child], children=(observation,), started_at=start,
                       ended_at=start + timedelta(hours=1))
    return device.change(visit, position)


def members_read_back(workspace: Workspace, children: int) -> list[tuple[Case, Child]]:
    """The team's cases and children as the vault holds them, in `team`'s order."""
    cases = {c.reference: c for c in workspace.cases.cases()}
    children_of = {c.case_id: c for c in workspace.cases.children()}
    return [(cases[c.reference], children_of[cases[c.reference].id]) for c, _ in team(children)]


def new_page(members: list[tuple[Case, Child]], devices: dict[str, WorkerDevice], round_: int,
             position: int) -> list[Change]:
    """Round `round_`'s pull page: a visit today to each of NEW_PAGE children spread over the
    team, at change positions from `position`."""
    page = []
    for n in range(NEW_PAGE):
        case, child = members[(round_ * 7919 + n * 49) % len(members)]
        page.append(visit_change(devices[case.allocated_worker], case, child, 0, position + n))
    return page


def build(folder: Path, children: int, per_child: int) -> dict[str, float]:
    """The team lead's vault after a first sync of the whole team, indexed."""
    clock = FixedClock(NOW)
    with Vault.create(folder / "lead", PASSPHRASE, kdf=FAST_KDF) as vault:
        conn = vault.connection
        Workspace.over(conn, actor="northlead", clock=clock)
        enroll_as_team_lead(conn)
        members = team(children)
        devices = {f"worker{n:02d}": WorkerDevice.make(f"worker{n:02d}")
                   for n in range(WORKERS)}
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
            print(f"  built {round_ + 1}/{per_child} visits a child "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
        if batch:
            pull(conn, batch)
        pulled = time.perf_counter() - started
    # Kept as pulled, not indexed: `--first-index` measures the first index on a copy.
    shutil.copytree(folder / "lead", folder / "pulled")
    with Vault.unlock(folder / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        started, cpu = time.perf_counter(), time.thread_time()
        ReviewIndex(conn, FlagRules(), clock).refresh()
        scratch = time.perf_counter() - started
        scratch_cpu = time.thread_time() - cpu
    (folder / "devices.json").write_text(json.dumps({
        name: [str(d.device_id), d.key.private_bytes_raw().hex()]
        for name, d in devices.items()}))
    facts = {"pulled_s": pulled, "from_scratch_s": scratch, "from_scratch_cpu_s": scratch_cpu,
             "next_position": position,
             "load": Path("/proc/loadavg").read_text().split()[:3]}
    (folder / "built.json").write_text(json.dumps(facts))
    return facts


def cached(children: int, per_child: int, rebuild: bool) -> Path:
    folder = CACHE / f"review-{children}x{per_child}"
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    if not (folder / "built.json").exists():
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        print(f"building the team lead's vault in {folder} (once)", flush=True)
        build(folder, children, per_child)
    return folder


def load_devices(folder: Path) -> dict[str, WorkerDevice]:
    from uuid import UUID

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return {name: WorkerDevice(name, UUID(device), Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex(key))) for name, (device, key) in
        json.loads((folder / "devices.json").read_text()).items()}


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def read_bytes() -> int:
    """Bytes this process has read through system calls (Linux): every vault page missing
    from SQLite's page cache is read, and decrypted, again. The load does not move it."""
    return int(dict(line.split(": ") for line in Path("/proc/self/io").read_text()
                    .splitlines())["rchar"])


def first_index(source: Path, children: int) -> None:
    """A new team lead's first index, on a copy of the vault as pulled."""
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        shutil.copytree(source / "pulled", Path(folder) / "lead")
        started = time.perf_counter()
        with Vault.unlock(Path(folder) / "lead", PASSPHRASE) as vault:
            print(f"unlocked a copy (and migrated it) in {time.perf_counter() - started:.1f} s")
            pending = vault.connection.execute(
                "SELECT count(*) FROM review_pending").fetchone()[0]
            before = load()
            started, cpu = time.perf_counter(), time.thread_time()
            read = read_bytes()
            report = ReviewIndex(vault.connection, FlagRules(), FixedClock(NOW)).refresh()
            wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
            read = read_bytes() - read
    print(f"first index: {pending} pending records, {report.records_indexed} indexed, "
          f"{report.children_recomputed} children's flags computed in {wall:.1f} s "
          f"({cpu:.1f} s CPU of the thread; {cpu / children * 1000:.1f} ms CPU a child; "
          f"{read / 1e6:,.0f} MB read from the vault's files, each page of it decrypted); "
          f"target <= 30 s {'met' if wall <= 30 else 'NOT met'}; load {before} -> {load()}")


def caseload_cost(source: Path, children: int) -> None:
    """The team lead's caseload (every child of the team, each with the visits pulled for
    them) as the caseload screen reads it, on a copy of the indexed vault: built from nothing
    (a new window), read again with nothing changed, and read again after each pull page of
    100 new visits to 100 children (`storage.caseload.Caseload`, what a reload does)."""
    rules = FlagRules()
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        shutil.copytree(source / "lead", Path(folder) / "lead")
        with Vault.unlock(Path(folder) / "lead", PASSPHRASE) as vault:
            conn = vault.connection
            pulled = conn.execute("SELECT count(*) FROM review_visits").fetchone()[0]
            workspace = Workspace.over(conn, actor="northlead", clock=FixedClock(NOW))
            members = members_read_back(workspace, children)
            devices = load_devices(source)
            position = int(json.loads((source / "built.json").read_text())["next_position"])

            def timed(work: Callable[[], object]) -> tuple[float, float]:
                started, cpu = time.perf_counter(), time.thread_time()
                work()
                return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000

            before = load()
            fresh = [timed(lambda: Caseload(conn, rules.standards, rules.calendar).rows())
                     for _ in range(3)]
            kept = Caseload(conn, rules.standards, rules.calendar)
            kept.rows()
            same = [timed(kept.rows) for _ in range(ROUNDS)]
            after_pull = []
            for round_ in range(ROUNDS):
                pull(conn, new_page(members, devices, round_, position))
                position += NEW_PAGE
                after_pull.append(timed(kept.rows))
            rows = len(kept.rows())

    def median_of(figures: list[tuple[float, float]]) -> str:
        return (f"{statistics.median(w for w, _ in figures):,.0f} ms wall, "
                f"{statistics.median(c for _, c in figures):,.0f} ms CPU of the thread")

    print(f"the team lead's caseload: {rows} children, {pulled} pulled visits "
          f"({pulled // max(rows, 1)} a child); load {before} -> {load()}")
    print(f"  built from nothing (median of 3): {median_of(fresh)}")
    print(f"  read again, nothing changed (median of {ROUNDS}): {median_of(same)}")
    print(f"  read again after a pull page of {NEW_PAGE} visits (median of {ROUNDS}): "
          f"{median_of(after_pull)}")


SEARCH_WORDS = ("hungry", "concerns", "Child4321", "CP-01234", "appropr")

# One side of `--compare-commit`: run with the side's tree first on sys.path, so it is that
# tree's storage and records that index; only APIs both sides share are used.
SIDE = """
import json, shutil, statistics, sys, tempfile, time
from pathlib import Path
tree, source, children = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, str(tree))
from bench.review import NEW_PAGE, NOW, ROUNDS, SEARCH_WORDS, load, load_devices, team
from bench.review import visit_change
from records.flags import FlagRules
from storage.review_index import ReviewIndex
from storage.search import search_pulled_visits
from storage.vault import Vault
from storage.workspace import Workspace
from tests.review.team import pull
from tests.vaults import PASSPHRASE, FixedClock

out = {"load_before": load()}


def read_bytes():
    # Bytes this process read through system calls: every vault page not in SQLite's page
    # cache is read (and decrypted) again. Not moved by the machine's load.
    return int(dict(line.split(": ") for line in Path("/proc/self/io").read_text()
                    .splitlines())["rchar"])


with tempfile.TemporaryDirectory(dir=source.parent) as folder:
    shutil.copytree(source / "pulled", Path(folder) / "lead")
    with Vault.unlock(Path(folder) / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        index = ReviewIndex(conn, FlagRules(), clock)
        read = read_bytes()
        started, cpu = time.perf_counter(), time.thread_time()
        report = index.refresh()
        out["first_wall"] = time.perf_counter() - started
        out["first_cpu"] = time.thread_time() - cpu
        out["first_read_mb"] = (read_bytes() - read) / 1e6
        out["first_indexed"] = report.records_indexed
        out["load_first"] = load()
        workspace = Workspace.over(conn, actor="northlead", clock=clock)
        cases = {c.reference: c for c in workspace.cases.cases()}
        children_of = {c.case_id: c for c in workspace.cases.children()}
        members = [(cases[c.reference], children_of[cases[c.reference].id])
                   for c, _ in team(children)]
        devices = load_devices(source)
        position = int(json.loads((source / "built.json").read_text())["next_position"])
        stored, walls, cpus = [], [], []
        for round_ in range(ROUNDS):
            page = []
            for n in range(NEW_PAGE):
                case, child = members[(round_ * 7919 + n * 49) % len(members)]
                page.append(visit_change(devices[case.allocated_worker], case, child, 0,
                                         position))
                position += 1
            started = time.perf_counter()
            pull(conn, page)
            stored.append(time.perf_counter() - started)
            started, cpu = time.perf_counter(), time.thread_time()
            index.refresh()
            walls.append(time.perf_counter() - started)
            cpus.append(time.thread_time() - cpu)
        out.update(page_stored=statistics.median(stored), page_wall=statistics.median(walls),
                   page_cpu=statistics.median(cpus), page_cpu_worst=max(cpus))
        for word in SEARCH_WORDS:
            times = []
            for _ in range(5):
                started = time.perf_counter()
                search_pulled_visits(conn, word, limit=50)
                times.append(time.perf_counter() - started)
            out["search " + word] = [statistics.median(times), max(times)]
        out["load_after"] = load()
print("SIDE " + json.dumps(out))
"""


def compare(source: Path, children: int, revision: str, rounds: int) -> None:
    """This code and the code at `revision`, side by side in one run (see the docstring)."""
    import subprocess

    from checkouts import unpacked  # bench/checkouts.py; here, as the sides import this file

    here = Path(__file__).resolve().parents[1]
    with unpacked(revision, within=CACHE) as old:
        sides: dict[str, list[dict[str, object]]] = {"before": [], "after": []}
        for round_ in range(rounds):
            order = [("before", old), ("after", here)]
            for name, tree in order if round_ % 2 == 0 else order[::-1]:
                print(f"round {round_ + 1}: {name} ({tree}), load {load()}", flush=True)
                done = subprocess.run(
                    [sys.executable, "-c", SIDE, str(tree), str(source), str(children)],
                    cwd=tree, capture_output=True, text=True,
                    env={**os.environ, "PYTHONPATH": str(tree)})
                line = next((t for t in done.stdout.splitlines() if t.startswith("SIDE ")), "")
                if not line:
                    raise SystemExit(f"the {name} side failed:\n{done.stderr[-3000:]}")
                sides[name].append(json.loads(line[5:]))
                print(f"  {line[5:]}", flush=True)
    _compare_table(sides, revision, children)


def _compare_table(sides: dict[str, list[dict[str, object]]], revision: str,
                   children: int) -> None:
    def each(name: str, key: str, scale: float = 1.0, digits: int = 1) -> str:
        return "; ".join(f"{float(str(run[key])) * scale:.{digits}f}" for run in sides[name])

    def ratio(key: str) -> str:
        return "; ".join(f"{float(str(b[key])) / float(str(a[key])):.1f}"
                         for b, a in zip(sides["before"], sides["after"], strict=True))

    print(f"\n| measure (each round; before = {revision}) | before | after | before / after |")
    print("|---|---|---|---|")
    print(f"| first index of {children} children: wall s | {each('before', 'first_wall')} |"
          f" {each('after', 'first_wall')} | {ratio('first_wall')} |")
    print(f"| first index: CPU s of the thread | {each('before', 'first_cpu')} |"
          f" {each('after', 'first_cpu')} | {ratio('first_cpu')} |")
    if all("first_read_mb" in run for run in sides["before"] + sides["after"]):
        print(f"| first index: MB read from the vault's files (each page decrypted) |"
              f" {each('before', 'first_read_mb', 1, 0)} | {each('after', 'first_read_mb', 1, 0)}"
              f" | {ratio('first_read_mb')} |")
    print(f"| page of {NEW_PAGE} visits: flags wall ms (median) |"
          f" {each('before', 'page_wall', 1000, 0)} | {each('after', 'page_wall', 1000, 0)} |"
          f" {ratio('page_wall')} |")
    print(f"| page of {NEW_PAGE} visits: flags CPU ms (median) |"
          f" {each('before', 'page_cpu', 1000, 0)} | {each('after', 'page_cpu', 1000, 0)} |"
          f" {ratio('page_cpu')} |")
    print(f"| page stored by the ledger, ms (median) | {each('before', 'page_stored', 1000, 0)}"
          f" | {each('after', 'page_stored', 1000, 0)} | |")
    for word in SEARCH_WORDS:
        key = "search " + word
        print(f"| one-word search `{word}`, median / worst ms | "
              + " | ".join("; ".join(f"{float(str(r[key][0])) * 1000:.1f} / "  # type: ignore[index]
                                     f"{float(str(r[key][1])) * 1000:.1f}"  # type: ignore[index]
                                     for r in sides[name]) for name in ("before", "after"))
              + " | |")
    loads = [f"{r['load_before']} -> {r['load_after']}" for name in ("before", "after")
             for r in sides[name]]
    print(f"\nload (1, 5, 15 min) at each side's start and end: {'; '.join(loads)}")


def search_figures(conn: Connection) -> None:
    """One-word searches, the shipped design beside version 5's over the same text."""
    conn.execute("DROP TABLE IF EXISTS temp.old_search")
    started = time.perf_counter()
    conn.execute("CREATE VIRTUAL TABLE temp.old_search USING fts5 (body,"
                 " tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO temp.old_search (rowid, body) SELECT r.rowid, "
                 f"{PULLED_BODY} FROM received_records AS r WHERE r.kind = 'visit'")
    print(f"(version 5's design built over the same visits in "
          f"{time.perf_counter() - started:.0f} s, for comparison)")
    for word in SEARCH_WORDS:
        match = search_query(word)
        shipped, old = [], []
        for _ in range(5):
            started = time.perf_counter()
            found = search_pulled_visits(conn, word, limit=50)
            shipped.append(time.perf_counter() - started)
            started = time.perf_counter()
            before = conn.execute(
                "SELECT r.id FROM received_records AS r JOIN temp.old_search AS s"
                " ON s.rowid = r.rowid WHERE s.old_search MATCH ? ORDER BY s.rank LIMIT 50",
                (match,)).fetchall()
            old.append(time.perf_counter() - started)
        matches = conn.execute("SELECT count(*) FROM received_search WHERE received_search"
                               " MATCH ?", (match,)).fetchone()[0]
        print(f"search {word!r} ({matches} visits match; {len(found)} / {len(before)} shown): "
              f"shipped median {statistics.median(shipped) * 1000:.1f} ms, worst "
              f"{max(shipped) * 1000:.1f} ms; version 5's design median "
              f"{statistics.median(old) * 1000:.1f} ms, worst {max(old) * 1000:.1f} ms "
              f"(ratio {statistics.median(old) / statistics.median(shipped):.1f}); "
              f"target <= 100 ms {'met' if max(shipped) <= 0.1 else 'NOT met'}")
    conn.execute("DROP TABLE temp.old_search")
    print(f"load: {load()}")


def main() -> None:
    valued = {"--compare-commit", "--rounds"}
    numbers = [a for previous, a in zip(sys.argv, sys.argv[1:], strict=False)
               if not a.startswith("--") and previous not in valued]
    children = int(numbers[0]) if numbers else 5000
    per_child = int(numbers[1]) if len(numbers) > 1 else 20
    source = cached(children, per_child, "--rebuild" in sys.argv)
    if "--compare-commit" in sys.argv:
        revision = sys.argv[sys.argv.index("--compare-commit") + 1]
        rounds = (int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv
                  else 1)
        compare(source, children, revision, rounds)
        return
    if "--first-index" in sys.argv:
        first_index(source, children)
        return
    if "--caseload" in sys.argv:
        caseload_cost(source, children)
        return
    facts = json.loads((source / "built.json").read_text())
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from ui.review.review_screen import ReviewScreen
    from ui.widgets.background import op, wait_for_background_work

    app = QApplication.instance() or QApplication([])
    clock = FixedClock(NOW)
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        shutil.copytree(source / "lead", Path(folder) / "lead")
        started = time.perf_counter()
        vault = Vault.unlock(Path(folder) / "lead", PASSPHRASE)
        print(f"unlocked a copy in {time.perf_counter() - started:.1f} s")
        conn = vault.connection
        workspace = Workspace.over(conn, actor="northlead", clock=clock)
        devices = load_devices(source)
        members = members_read_back(workspace, children)
        visits = conn.execute("SELECT count(*) FROM review_visits").fetchone()[0]
        print(f"team: {children} children, {visits} visits, {WORKERS} workers; built by "
              f"pulls in {facts['pulled_s']:.0f} s; first index (every child from scratch) "
              f"{facts['from_scratch_s']:.0f} s "
              f"({facts['from_scratch_s'] / children * 1000:.0f} ms a child)")
        index = ReviewIndex(conn, FlagRules(), clock)
        services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
        screen = ReviewScreen(services, NOW.date())
        screen.resize(1200, 800)
        screen.show()
        loop = QEventLoop()
        position = int(facts["next_position"])
        applied, flagged, shown_in, totals, cpu = [], [], [], [], []
        for round_ in range(ROUNDS):
            page = new_page(members, devices, round_, position)
            position += NEW_PAGE
            started = time.perf_counter()
            done: list[float] = []

            def note(_: object, done: list[float] = done) -> None:
                done.append(time.perf_counter())

            # The pull and the refresh run on the vault lane, as the app's sync and screen do.
            op(screen, lambda page=page: pull(conn, page)).success(note).run()
            while not done:
                loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            def refresh(cpu: list[float] = cpu) -> None:
                started_cpu = time.thread_time()
                index.refresh()
                cpu.append(time.thread_time() - started_cpu)

            op(screen, refresh).success(note).run()
            while len(done) < 2:
                loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            shown = {"queue": False}
            screen.model.loaded.connect(lambda shown=shown: shown.__setitem__("queue", True))
            screen.reload()
            while not (shown["queue"] and screen.workers.rowCount() == WORKERS):
                loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            screen.grab()  # paint the queue and the dashboard tab's table
            screen.tabs.setCurrentIndex(1)
            screen.grab()
            screen.tabs.setCurrentIndex(0)
            finished = time.perf_counter()
            applied.append(done[0] - started)
            flagged.append(done[1] - done[0])
            shown_in.append(finished - done[1])
            totals.append(finished - started)
            screen.model.loaded.disconnect()
            screen.model.loaded.connect(screen._queue_loaded)
        wait_for_background_work()

        def ms(values: list[float]) -> str:
            return (f"median {statistics.median(values) * 1000:.0f} ms, worst "
                    f"{max(values) * 1000:.0f} ms")

        print(f"pull page of {NEW_PAGE} visits stored: {ms(applied)}")
        print(f"flags recomputed for the {NEW_PAGE} children it touched: {ms(flagged)} "
              f"({statistics.median(flagged) * 1000 / NEW_PAGE:.1f} ms a synced visit); "
              f"CPU of that thread {ms(cpu)} "
              f"({statistics.median(cpu) * 1000 / NEW_PAGE:.1f} ms a synced visit)")
        print(f"then queue ({screen.model.total} open, first page {len(screen.model.rows)} "
              f"rows) and dashboard read and painted: {ms(shown_in)}")
        print(f"page arrived -> on screen: {ms(totals)}")
        print(f"for comparison, every child's flags from scratch: "
              f"{facts['from_scratch_s']:.0f} s")
        print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} "
              f"{os.getloadavg()[2]:.1f} on {os.cpu_count()} cores")
        search_figures(conn)
        screen.close()
        screen.deleteLater()
        loop.processEvents()
        vault.close()
    del app


if __name__ == "__main__":
    main()
