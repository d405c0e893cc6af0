"""Text copied out of Homevisit is hidden from clipboard history and cleared after 30 s.

When the app puts text on the clipboard, it is replaced by the same text marked concealed
(`x-kde-passwordManagerHint: secret` for Klipper and other Linux managers, and on Windows
the formats that keep it out of clipboard history and cloud clipboard), and a timer clears
it 30 seconds later unless something else has been copied since.

On X11, selecting text also offers it as the PRIMARY selection to any X client that asks;
at lock `clear_on_lock` drops both the clipboard text and the selection Homevisit owns, so
a child's words are not served after the screen has locked.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 30_000
HEADLESS = {"offscreen", "minimal"}
CONCEALED = {
    "x-kde-passwordManagerHint": b"secret",
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"':
        b"\x01\x00\x00\x00",
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': b"\x00\x00\x00\x00",
    'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': b"\x00\x00\x00\x00",
}


def concealed(text: str) -> QMimeData:
    data = QMimeData()
    data.setText(text)
    for kind, value in CONCEALED.items():
        data.setData(kind, value)
    return data


class ClipboardGuard(QObject):
    def __init__(self, clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        super().__init__()
        self.clipboard: QClipboard = QGuiApplication.clipboard()
        self._ours: str | None = None
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.setInterval(clear_after_ms)
        self._clear.timeout.connect(self.clear_now)
        self.clipboard.dataChanged.connect(self._changed)

    def _ours_now(self) -> bool:
        # Headless platforms keep the clipboard in-process and never report owning it.
        return self.clipboard.ownsClipboard() or QGuiApplication.platformName() in HEADLESS

    def _changed(self) -> None:
        if not self._ours_now():
            self._ours = None
            self._clear.stop()
            return
        data = self.clipboard.mimeData()
        if data is None or data.hasFormat("x-kde-passwordManagerHint"):
            return
        text = data.text()
        if not text:
            return
        self._ours = text
        self.clipboard.setMimeData(concealed(text))
        self._clear.start()

    def clear_now(self) -> None:
        """Empty the clipboard if it still holds what Homevisit put there."""
        if self._ours is not None and self._ours_now():
            self.clipboard.clear()
        self._ours = None

    def clear_on_lock(self) -> None:
        """Drop the copied text and the X11 PRIMARY selection if Homevisit owns them."""
        self.clear_now()
        if self.clipboard.supportsSelection() and (
            self.clipboard.ownsSelection() or QGuiApplication.platformName() in HEADLESS
        ):
            self.clipboard.clear(QClipboard.Mode.Selection)


_guard: ClipboardGuard | None = None


def clipboard_guard() -> ClipboardGuard:
    """The one guard for the application (one is enough: they would undo each other)."""
    global _guard
    if _guard is None:
        _guard = ClipboardGuard()
    return _guard
