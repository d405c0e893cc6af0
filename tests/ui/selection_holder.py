"""Run under X11: select a child's words, lock, and print what PRIMARY serves each time."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QLineEdit

from ui.shell.clipboard_guard import clipboard_guard


def primary(app: QApplication) -> str:
    """Ask as another X client would, keeping the event loop turning so Qt can answer."""
    asking = subprocess.Popen(["xclip", "-o", "-selection", "primary"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    while asking.poll() is None:
        app.processEvents()
    assert asking.stdout is not None
    answer = asking.stdout.read()
    return answer if asking.returncode == 0 else ""


def main() -> int:
    app = QApplication(sys.argv)
    guard = clipboard_guard()
    words = QLineEdit("Ana said she is hungry")
    words.show()
    words.selectAll()
    # What a mouse selection in the field does on X11: offer the text as PRIMARY.
    app.clipboard().setText(words.selectedText(), QClipboard.Mode.Selection)
    seen: list[str] = []
    failed: list[BaseException] = []

    def look_then_lock() -> None:
        try:
            seen.append(primary(app))
            guard.clear_on_lock()
        except Exception as error:  # a missing xclip: fail now, not at the caller's timeout
            failed.append(error)
            app.quit()
            return
        QTimer.singleShot(300, look_again)

    def look_again() -> None:
        try:
            seen.append(primary(app))
        except Exception as error:
            failed.append(error)
        app.quit()

    QTimer.singleShot(500, look_then_lock)
    app.exec()
    if failed:
        print(f"could not ask for PRIMARY: {failed[0]!r}", file=sys.stderr)
        return 1
    print(f"before lock: {seen[0]}")
    print(f"after lock: {seen[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
