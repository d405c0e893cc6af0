"""Time to make a visit PDF and a long chronology PDF: Qt (QTextDocument on a QPdfWriter,
untagged) before, Typst (tagged PDF/UA-1) now, side by side in one run.

The Qt code is the commit before the change (`--before`, default the merge base with
main), unpacked with `git archive` into a temporary folder; each round runs one process per
tree, alternately, and each process makes each PDF 1 + REPEATS times: the first includes
loading fonts (and, for Typst, its 84 MB native module), the rest are medianed. Measured as
the export does it: the source made (UI thread), then laid out, written and fsynced.

Run: QT_QPA_PLATFORM=offscreen python bench/pdf.py [--before REV] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from checkouts import unpacked

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 5

WORKER = """
import json, statistics, sys, tempfile, time
from datetime import date, timedelta
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tests.factories import make_case, make_child, make_injury
from tests.ui.test_pdf_output import PRINTED_AT, full_visit
from records.canonical import chronology_hash
from records.visit import BodyView
from ui.review.chronology import chronology_pdf_source
from ui.review_services import Chronology, ChronologyEvent, DatedInjury
from ui.widgets.pdf_file import pdf_bytes
from ui.widgets.private_file import write_private
from ui.widgets.visit_pdf import visit_pdf_source

def long_chronology():
    case = make_case()
    child = make_child(case)
    start, events, injuries = date(2023, 1, 2), [], []
    for n in range(250):
        day = start + timedelta(days=6 * n)
        kind = ("visit", "note", "flag", "review", "injury")[n % 5]
        events.append(ChronologyEvent(day, kind, f"Event {n}: seen alone, spoken to", n % 7 == 0))
        if kind == "injury":
            injuries.append(DatedInjury(day, make_injury(view=BodyView.FRONT)))
    content = chronology_hash(((e.day, e.kind, e.text, e.red) for e in events),
                              (i.injury for i in injuries))
    return Chronology(child, events, injuries, [], case.reference, content)

opened = full_visit()[0]
chronology = long_chronology()
folder = Path(tempfile.mkdtemp())
times = {}
for name, source in (("visit", lambda: visit_pdf_source(opened, printed_by="A. Reviewer",
                                                        printed_at=PRINTED_AT)),
                     ("chronology", lambda: chronology_pdf_source(
                         chronology, printed_by="A. Reviewer", printed_at=PRINTED_AT))):
    runs = []
    for _ in range(1 + int(sys.argv[1])):
        began = time.perf_counter()
        made = pdf_bytes(source())
        write_private(folder / f"{name}.pdf", made)
        runs.append(time.perf_counter() - began)
    times[name] = {"first": runs[0], "median": statistics.median(runs[1:]),
                   "bytes": len(made)}
print(json.dumps(times))
"""


def _run(tree: Path) -> dict[str, dict[str, float]]:
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", WORKER, str(REPEATS)], cwd=tree, env=env,
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=subprocess.run(
        ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True,
        check=True).stdout.strip())
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with unpacked(args.before) as before:
        trees = {"Qt (before)": before, "Typst (now)": ROOT}
        results: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                results[name].append(_run(tree))
    print(f"load before and after: {os.getloadavg()}")
    print(f"{'':14}{'PDF':12}{'first (s)':>11}{'then (s)':>10}{'size (KB)':>11}")
    medians: dict[tuple[str, str], float] = {}
    for name, runs in results.items():
        for pdf in ("visit", "chronology"):
            first = statistics.median(r[pdf]["first"] for r in runs)
            then = statistics.median(r[pdf]["median"] for r in runs)
            size = runs[-1][pdf]["bytes"] / 1024
            medians[(name, pdf)] = then
            print(f"{name:14}{pdf:12}{first:11.3f}{then:10.3f}{size:11.0f}")
    for pdf in ("visit", "chronology"):
        ratio = medians[("Typst (now)", pdf)] / medians[("Qt (before)", pdf)]
        print(f"{pdf}: Typst / Qt = {ratio:.2f}")


if __name__ == "__main__":
    main()
