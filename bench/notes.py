"""A child's notes between visits on a team lead's laptop holding many notes.

Workload: a team lead's real vault (SQLCipher, production pragmas) holding CHILDREN children,
each in a case of their own, and NOTES agency notes pulled from central (each about one child,
spread evenly), applied through `SyncLedger.apply_changes` in pages of 500 as a pull applies
them. Measured, 15 times each, median and slowest:

* one child: `notes_by_child` for one child (what a child's flags and chronology read);
* a page of children: `notes_by_child` for 100 children (the review index's refresh after a
  pull page of 100 visits reads this);
* the note screen: `Workspace.notes.notes_for_child` (with signatures and who sent each);
* one note: `Workspace.notes.get` by id.

    .venv/bin/python bench/notes.py [--children 5000] [--notes 20000]
                                    [--compare-commit REV]

With `--compare-commit`, the code at REV (unpacked with `git archive`) builds its own vault
the same way and is measured in its own process right after this tree's, and the ratios are
printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = 500
REPEATS = 15
MEASURES = ("one child", "a page of children", "the note screen", "one note")


def _child(tree: Path, children: int, notes: int) -> dict[str, list[float]]:
    """Build the vault with the code in `tree` and measure it there (ms)."""
    sys.path.insert(0, str(tree))
    from datetime import timedelta
    from uuid import UUID

    from records.canonical import canonical_json, hash_bytes
    from storage.case_notes import notes_by_child
    from storage.vault import Vault
    from storage.workspace import Workspace
    from sync.protocol import Change, ChangeKind
    from tests.factories import NOW, make_case, make_child, make_notification
    from tests.review.team import child_changes, enroll_as_team_lead, pull
    from tests.vaults import FAST_KDF, PASSPHRASE, FixedClock

    members = []
    for n in range(children):
        case = make_case().model_copy(update={"allocated_worker": f"worker{n % 25:02d}",
                                              "team": "North", "reference": f"CP-{n:05d}"})
        members.append((case, make_child(case, given_name=f"Child{n}")))
    with tempfile.TemporaryDirectory() as folder, \
            Vault.create(Path(folder) / "lead", PASSPHRASE, kdf=FAST_KDF) as vault:
        conn = vault.connection
        workspace = Workspace.over(conn, actor="northlead", clock=FixedClock(NOW))
        enroll_as_team_lead(conn)
        pull(conn, child_changes([(c, [k]) for c, k in members], 1))
        position = children + 1
        page: list[Change] = []
        note_ids = []
        for n in range(notes):
            case, child = members[(n * 7919) % children]
            note = make_notification(case, [child], entered_at=NOW - timedelta(minutes=n))
            frozen = canonical_json(note)
            page.append(Change(position=position, kind=ChangeKind.NOTE, record=frozen.decode(),
                               record_hash=hash_bytes(frozen), submitted_by="central"))
            note_ids.append(note.id)
            position += 1
            if len(page) == PAGE:
                pull(conn, page)
                page = []
        if page:
            pull(conn, page)
        ids: list[UUID] = [child.id for _, child in members]
        found = notes_by_child(conn, [ids[0]])[ids[0]]
        assert found, "the child's notes were not found"
        work: dict[str, Callable[[int], object]] = {
            "one child": lambda r: notes_by_child(conn, [ids[r * 37 % children]]),
            "a page of children": lambda r: notes_by_child(
                conn, [ids[(r * 100 + k) * 13 % children] for k in range(100)]),
            "the note screen": lambda r: workspace.notes.notes_for_child(ids[r * 41 % children]),
            "one note": lambda r: workspace.notes.get(note_ids[r * 53 % notes]),
        }
        timings: dict[str, list[float]] = {}
        for name in MEASURES:
            work[name](REPEATS)  # warm: statements prepared, pages read
            timings[name] = []
            for repeat in range(REPEATS):
                started = time.perf_counter()
                work[name](repeat)
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def _measure(tree: Path, children: int, notes: int) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "notes.py"), "--child", str(tree),
         "--children", str(children), "--notes", str(notes)],
        cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True,
        check=False)
    if done.returncode != 0:
        raise SystemExit(f"the measurement of {tree} failed:\n{done.stderr[-3000:]}")
    result: dict[str, list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--compare-commit", default=None, metavar="REV")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_child(args.child, args.children, args.notes)))
        return
    with ExitStack() as stack:
        sides: dict[str, Path] = {"this tree": ROOT}
        if args.compare_commit:
            sys.path.insert(0, str(ROOT / "bench"))
            from checkouts import unpacked  # bench/checkouts.py

            sides[args.compare_commit] = stack.enter_context(unpacked(args.compare_commit))
        print(f"a child's notes: {args.children} children, {args.notes} pulled notes; load "
              f"{os.getloadavg()[0]:.1f} at start")
        found = {side: _measure(sides[side], args.children, args.notes) for side in sides}
        print(f"median (slowest) of {REPEATS}, ms:")
        for name in MEASURES:
            line = "  ".join(f"{side}: {statistics.median(found[side][name]):8.2f} "
                             f"({max(found[side][name]):.2f})" for side in sides)
            ratio = ""
            if len(sides) == 2:
                mine, theirs = (statistics.median(found[side][name]) for side in sides)
                ratio = f"  ratio {mine / theirs:.3f}"
            print(f"  {name:<20} {line}{ratio}")
        print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
