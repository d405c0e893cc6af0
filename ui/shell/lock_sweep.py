"""At lock, nothing the unlocked app opened stays on screen.

A modal dialog opened from any screen (the children chooser, a message box, a file
chooser) is a top-level window of its own: hiding the main window's pages leaves it
standing over the unlock screen. The sweep rejects every dialog and hides every other
top-level window but the main one.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication, QDialog, QWidget

log = logging.getLogger(__name__)


def close_dialogs(main: QWidget) -> int:
    """Reject every open dialog and hide every other window; return how many were shut."""
    shut = 0
    # Rejecting a dialog can close another (a nested message box), so repeat until none.
    for _ in range(10):
        standing = [w for w in QApplication.topLevelWidgets()
                    if w is not main and w.isVisible() and w.window() is w]
        if not standing:
            break
        for widget in standing:
            if isinstance(widget, QDialog):
                widget.reject()
            widget.hide()
            shut += 1
    if shut:
        log.info("lock closed %d dialog(s)", shut)
    return shut
