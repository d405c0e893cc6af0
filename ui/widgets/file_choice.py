"""Choosing a file without leaving a trail: no recent-files list, no remembered folder.

Native dialogs on Linux add chosen files to the desktop's recent-files history, and Qt's
own dialog remembers visited folders in QtProject.conf; either could name a child. So the
Qt dialog is used, and its remembered history is removed as soon as it closes, and again
once it is destroyed (QFileDialog writes its history in its destructor).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget


def _forget_history() -> None:
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.remove("FileDialog")
    settings.sync()


def _forget_when_destroyed(dialog: QFileDialog) -> None:
    dialog.destroyed.connect(lambda *_: _forget_history())


def choose_file_to_open(parent: QWidget, title: str, filters: str) -> Path | None:
    dialog = QFileDialog(parent, title, str(Path.home()), filters)
    _forget_when_destroyed(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    try:
        chosen = dialog.selectedFiles()[0] if dialog.exec() else None
    finally:
        dialog.deleteLater()
        _forget_history()
    return Path(chosen) if chosen else None


def choose_file_to_save(parent: QWidget, title: str, filters: str, name: str) -> Path | None:
    dialog = QFileDialog(parent, title, str(Path.home() / name), filters)
    _forget_when_destroyed(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    try:
        chosen = dialog.selectedFiles()[0] if dialog.exec() else None
    finally:
        dialog.deleteLater()
        _forget_history()
    return Path(chosen) if chosen else None
