"""Desktop start-up and UI stalls.

1. Start-up: process start to the unlock screen shown, against a bare PySide6 window, in
   the same run (median of RUNS each). Target: ratio <= 1.5.
2. Stall probe: with a 5,000-child caseload loading and a draft autosaving every 100 ms,
   the longest gap between ticks of a 10 ms QTimer on the UI thread. Target: <= 50 ms.

Run: QT_QPA_PLATFORM=offscreen python bench/startup.py   (or under xvfb-run)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUNS = 11
EDITOR_OPENS = 5

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
window = QWidget()
window.setWindowTitle("bare")
window.show()
QTimer.singleShot(0, lambda: (print(time.time(), flush=True), app.quit()))
app.exec()
"""

# The app's own path: the policy is read by the app itself (behind the unlock screen), from
# a settings file that does not exist and no IT policy, so the defaults apply.
HOMEVISIT = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop_app.app import run_app
run_app(Path(sys.argv[1]), on_shown=lambda at: (print(at, flush=True), QApplication.quit()))
"""


def _time_to_window(code: str, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "HOMEVISIT_SETTINGS_FILE": str(ROOT / "bench" / "no-such-settings.toml")}
    started = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True, timeout=120)
    return float(done.stdout.strip().splitlines()[-1]) - started


def compile_like_an_installed_app() -> None:
    """Byte-compile the project first, as the installers do (PyInstaller bundles bytecode).

    Where PYTHONDONTWRITEBYTECODE is set (this machine, CI), a module changed since its
    last compile would otherwise be compiled from source at every start (~9 ms for ten
    modules here), which the bare window, all of it PySide6's compiled code, never pays."""
    import compileall

    for package in ("records", "storage", "sync", "ui", "desktop_app"):
        compileall.compile_dir(ROOT / package, quiet=1)


def startup(vault: Path) -> tuple[float, float]:
    compile_like_an_installed_app()
    bare, ours = [], []
    for _ in range(RUNS):  # interleaved, so a busy moment hurts both alike
        bare.append(_time_to_window(BARE))
        ours.append(_time_to_window(HOMEVISIT, str(vault)))
    return statistics.median(bare), statistics.median(ours)


def stall_probe(vault: Path, passphrase: str) -> tuple[float, float, int, int]:
    """Longest tick gaps: while unlocking, loading the caseload, autosaving and reloading
    it; and, apart, while the visit editor is built (a one-off when a visit is opened)."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from desktop_app.app import build_window
    from desktop_app.policy import Policy
    from desktop_app.screenshots import pump
    from ui.widgets.background import op, wait_for_background_work

    _app, window = build_window(vault, Policy(), listen_to_desktop=False)
    window.show()
    gaps: list[int] = []
    busy: list[float] = []  # the UI thread's own CPU time in each gap
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    last_cpu = [time.thread_time()]

    def tick() -> None:
        now, cpu = clock.elapsed(), time.thread_time()
        gaps.append(now - last[0])
        busy.append((cpu - last_cpu[0]) * 1000)
        last[0], last_cpu[0] = now, cpu

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    saves = [0]
    window.unlock_screen.passphrase.setText(passphrase)
    timer.start()
    window.unlock_screen.try_unlock()  # KDF, open, and the 5,000-row caseload, off-thread
    deadline = time.monotonic() + 60
    while window.services is None and time.monotonic() < deadline:
        pump()
    services = window.services
    assert services is not None
    print(f"  (during unlock and first caseload load: longest gap {max(gaps[1:]):.0f} ms)")
    model = window.caseload_screen.model
    rows = model.rowCount()
    opened: list[object] = []
    households = Counter(model.row_at(n).case_reference for n in range(rows))
    biggest = max(households, key=lambda reference: households[reference])
    first = next(model.row_at(n).child_id for n in range(rows)
                 if model.row_at(n).case_reference == biggest)

    def start() -> object:
        case, children = services.household_of(first)
        return services.start_visit(case.id, [c.id for c in children])

    unlocked_at = len(gaps)
    op(None, start).success(opened.append).failure(opened.append).run()
    while not opened:
        pump()
    print(f"  (while a visit is started on the lane: longest gap "
          f"{max(gaps[unlocked_at:], default=0):.0f} ms)")
    before = len(gaps)
    openings: list[float] = []
    for _ in range(EDITOR_OPENS):  # built on the UI thread, then its first frame
        built = QElapsedTimer()
        built.start()
        window.show_editor(opened[0])  # type: ignore[arg-type]
        pump()
        openings.append(float(built.elapsed()))
    del gaps[before:]
    del busy[before:]
    last[0], last_cpu[0] = clock.elapsed(), time.thread_time()
    editor = window.editor
    assert editor is not None
    purpose = editor.details.form.rows["purpose"].field
    loop_from = len(gaps)
    end = time.monotonic() + 5
    while time.monotonic() < end:  # typing, autosaving and reloading the caseload at once
        purpose.set_value(f"Typing… {time.monotonic():.3f}")
        editor.dirty = True
        if not editor._saving:
            editor.save_now()
            saves[0] += 1
        if saves[0] % 10 == 0:
            screen = window.caseload_screen
            op(None, screen.reader(services)).success(screen.show_rows).run()
        deadline_tick = time.monotonic() + 0.1
        while time.monotonic() < deadline_tick:
            pump()
            time.sleep(0.001)
    timer.stop()
    print(f"  (during the 5 s of autosaves and caseload reloads alone: longest gap "
          f"{max(gaps[loop_from + 1:]):.0f} ms)")
    caseload_on_the_ui_thread(window)
    window.lock("bench over")
    wait_for_background_work()
    children = households[biggest]
    longest = max(range(1, len(gaps)), key=lambda n: gaps[n])
    print(f"  (the UI thread's own CPU: {busy[longest]:.0f} ms of the longest gap; at most "
          f"{max(busy[1:]):.0f} ms between any two ticks; the rest of a gap is waiting for the "
          f"interpreter lock or a CPU)")
    return float(gaps[longest]), openings, rows, saves[0], children


def caseload_on_the_ui_thread(window: Any) -> None:
    """The UI thread's CPU for what a worker does to the 5,000-row table: type a letter in
    the filter, clear it, sort by another column (each with the repaint it causes)."""
    from PySide6.QtCore import Qt

    window.close_editor()
    screen = window.caseload_screen
    window.stack.setCurrentWidget(screen)
    screen.table.viewport().repaint()

    def cpu_ms(act: Callable[[], None]) -> float:
        started = time.thread_time()
        act()
        screen.table.viewport().repaint()
        return (time.thread_time() - started) * 1000

    typed = cpu_ms(lambda: screen.filter.setText("a"))
    cleared = cpu_ms(screen.filter.clear)
    ordered = cpu_ms(lambda: screen.table.sortByColumn(0, Qt.SortOrder.AscendingOrder))
    repaint = cpu_ms(lambda: None)
    print(f"  (caseload on the UI thread, CPU: a letter in the filter {typed:.0f} ms, "
          f"filter cleared {cleared:.0f} ms, sorted by name {ordered:.0f} ms, "
          f"a repaint {repaint:.0f} ms)")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app import session as sessions
    from desktop_app.demo_data import make_demo_data
    from desktop_app.policy import Policy

    passphrase = "bench passphrase long enough"
    work = Path(tempfile.mkdtemp(prefix="homevisit-bench-"))
    small, big = work / "small", work / "big"
    with sessions.create_vault(small, passphrase, Policy()) as opened:
        make_demo_data(opened.workspace, children=40, visits=100)
    bare, ours = startup(small)
    print(f"platform: {os.environ['QT_QPA_PLATFORM']}, median of {RUNS} runs each")
    print(f"bare PySide6 window shown:      {bare * 1000:7.0f} ms")
    print(f"Homevisit unlock screen shown:  {ours * 1000:7.0f} ms")
    print(f"ratio:                          {ours / bare:7.2f}  (target <= 1.5)")
    made = time.monotonic()
    with sessions.create_vault(big, passphrase, Policy()) as opened:
        make_demo_data(opened.workspace, children=5000, visits=500)
    print(f"5,000-child demo vault made in {time.monotonic() - made:.0f} s")
    longest, openings, rows, saves, children = stall_probe(big, passphrase)
    print(f"stall probe: {rows} caseload rows, {saves} autosaves in 5 s; "
          f"longest gap between 10 ms ticks: {longest:.0f} ms  (target <= 50)")
    print(f"opening the visit editor for a household of {children} children, to its first "
          f"frame: first {openings[0]:.0f} ms, median of {len(openings)} "
          f"{statistics.median(openings):.0f} ms (target well under 300)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
