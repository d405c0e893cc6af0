"""Keyboard focus goes back where it was after a dialog, so typing and Tab work at once.

A modal dialog or a closed page left the window without a focus widget (and, on some
desktops, not the active window): the worker's next keys went nowhere until they clicked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def give_focus(widget: QWidget) -> None:
    """Make `widget`'s window active and focus it, now and once more after the event loop
    has finished closing whatever had it (a dialog's own focus handling runs last)."""
    from PySide6.QtCore import Qt  # here: the main window imports this module before its
    # first frame, which must not build Qt's enum namespace (tests/ui/test_start_up.py)

    def focus() -> None:
        try:
            if not widget.isVisible():
                return
            window = widget.window()
            window.activateWindow()
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        except RuntimeError:  # the widget went (a lock) before the event loop came back
            return

    focus()
    QTimer.singleShot(0, focus)


@contextmanager
def focus_kept(fallback: QWidget) -> Iterator[None]:
    """Around a dialog: focus returns to what had it before, or to `fallback`."""
    before = QApplication.focusWidget()
    try:
        yield
    finally:
        target = before
        try:
            if target is None or not target.isVisible():
                target = fallback
        except RuntimeError:
            target = fallback
        give_focus(target)
