"""Where one submitted visit stands with central, as an icon with words for a screen reader
and a tooltip: waiting (only on this laptop), sent (central has not confirmed it yet),
synced (central's signed receipt is stored) or not accepted (kept here, with central's
reason). The icons are the style's own, so they follow the theme and high contrast."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle


def visit_sync_words(status: str | None, reason: str | None = None) -> tuple[str, str]:
    """(short name, tooltip) for a visit's sync status; empty for a draft."""
    if status == "waiting":
        return (QCoreApplication.translate("VisitSync", "Not yet sent"),
                QCoreApplication.translate(
                    "VisitSync", "Only on this laptop so far; it is sent at the next sync."))
    if status == "sent":
        return (QCoreApplication.translate("VisitSync", "Sent, not yet confirmed"),
                QCoreApplication.translate(
                    "VisitSync", "Sent to central; it counts as synced once central's "
                    "receipt arrives. It is kept here until then."))
    if status == "synced":
        return (QCoreApplication.translate("VisitSync", "Synced"),
                QCoreApplication.translate(
                    "VisitSync", "Central has it: its signed receipt is stored on this "
                    "laptop."))
    if status == "quarantined":
        why = reason or QCoreApplication.translate("VisitSync", "no reason given")
        return (QCoreApplication.translate("VisitSync", "Not accepted by central"),
                QCoreApplication.translate(
                    "VisitSync", "Central did not accept it ({reason}). It is kept on this "
                    "laptop and nothing was lost; tell your team lead or IT.").format(
                        reason=why))
    return "", ""


def visit_sync_icon(status: str | None) -> QIcon:
    """The style's icon for a visit's sync status; an empty icon for a draft."""
    pixmap = {
        "waiting": QStyle.StandardPixmap.SP_BrowserReload,
        "sent": QStyle.StandardPixmap.SP_ArrowUp,
        "synced": QStyle.StandardPixmap.SP_DialogApplyButton,
        "quarantined": QStyle.StandardPixmap.SP_MessageBoxWarning,
    }.get(status or "")
    if pixmap is None:
        return QIcon()
    return QApplication.style().standardIcon(pixmap)
