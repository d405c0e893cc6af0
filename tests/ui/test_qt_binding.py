"""The Qt binding we ship keeps Python's reference counts straight.

PySide6 6.12.0 dropped a reference to `None` on every call to a C++ method returning
`void` (`QLabel.setText`, `QCoreApplication.processEvents`, `QModelRoleData.setData`…);
Python 3.11 aborts the process ("deallocating None") when that count reaches zero, which a
bare script reaches in under 10,000 calls and a worker typing in the editor within a
working day. pyproject.toml pins 6.11.3, which does not do this. This test keeps any
upgrade honest: it fails on a binding with the defect instead of a worker's laptop
crashing. It runs in its own process, because the defect aborts the interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel()
    before = sys.getrefcount(None)
    for number in range(50_000):
        label.setText("visit")
        label.setAccessibleName("field")
        if number % 100 == 0:
            QCoreApplication.processEvents()
            QEventLoop().processEvents()
    print(sys.getrefcount(None) - before)
    """
)


def test_void_calls_leave_the_count_of_none_alone() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"the interpreter aborted: {result.stderr[-400:]}"
    # A few references come and go with Qt's own work; the defect takes away 100,000.
    assert abs(int(result.stdout.strip())) < 500
