"""Packaging: bundle size, .deb size, and start to the unlock screen, frozen vs from source.

Both starts run the same entry point (packaging/homevisit_entry.py) with
HOMEVISIT_EXIT_WHEN_SHOWN=1, on the same small vault, interleaved, median of RUNS each.
Before each start the page cache is dropped when this process may (root, outside a
container that forbids it), so both are cold; otherwise both are warm and it says so.
Targets: onedir <= 150 MB, .deb <= 60 MB, frozen start <= 1.5 x start from source.

Run: make bench-packaging   (builds dist/homevisit and the .deb first)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUNS = 5
DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def _drop_caches() -> bool:
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
    except OSError:
        return False
    return True


def _time_to_unlock_screen(command: list[str], vault: Path) -> float:
    env = {**os.environ, "HOMEVISIT_EXIT_WHEN_SHOWN": "1", "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.time()
    done = subprocess.run([*command, str(vault)], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=True, timeout=120)
    return float(done.stdout.strip().splitlines()[-1]) - started


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    from desktop_app import session as sessions
    from desktop_app.policy import Policy

    bundle = ROOT / "dist" / "homevisit"
    debs = sorted((ROOT / "dist").glob("homevisit_*.deb"))
    if not (bundle / "homevisit").exists() or not debs:
        print("build first: make deb")
        return 1
    work = Path(tempfile.mkdtemp(prefix="homevisit-bench-"))
    with sessions.create_vault(work / "vault", "bench passphrase long enough", Policy()):
        pass
    frozen_command = [str(bundle / "homevisit")]
    source_command = [sys.executable, str(ROOT / "packaging" / "homevisit_entry.py")]
    cold = True
    frozen, source = [], []
    for _ in range(RUNS):  # interleaved, so a busy moment hurts both alike
        cold &= _drop_caches()
        frozen.append(_time_to_unlock_screen(frozen_command, work / "vault"))
        cold &= _drop_caches()
        source.append(_time_to_unlock_screen(source_command, work / "vault"))
    onedir, deb = _size(bundle), debs[-1].stat().st_size
    ratio = statistics.median(frozen) / statistics.median(source)
    print(f"onedir bundle:                  {onedir / 1e6:7.1f} MB  (target <= 150)")
    print(f".deb ({debs[-1].name}):  {deb / 1e6:7.1f} MB  (target <= 60)")
    cache = "dropped before each start (cold)" if cold else "not droppable here (warm)"
    print(f"page cache: {cache}, platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, "
          f"median of {RUNS}")
    print(f"from source, unlock screen:     {statistics.median(source) * 1000:7.0f} ms")
    print(f"frozen, unlock screen:          {statistics.median(frozen) * 1000:7.0f} ms")
    print(f"ratio frozen / source:          {ratio:7.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
