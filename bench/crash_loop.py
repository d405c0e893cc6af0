"""The full crash loop: 200 SIGKILLs of a process submitting visits, with the figures.

Run: .venv/bin/python bench/crash_loop.py [KILLS]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.kill_loop import run_kill_loop


def main() -> int:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as scratch:
        report = run_kill_loop(Path(scratch) / "vault", kills=kills)
    print(f"kills: {report.kills}")
    print(f"submits acknowledged before a kill: {report.acknowledged}")
    print(f"submitted visits found afterwards: {report.stored} "
          "(more than acknowledged = committed but killed before it could say so)")
    print(f"problems: {len(report.problems)}")
    for problem in report.problems[:20]:
        print(f"  {problem}")
    print(f"time: {report.seconds:.1f} s")
    return 0 if not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
