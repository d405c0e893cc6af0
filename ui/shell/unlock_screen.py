"""The unlock screen: a passphrase, and a calm answer when it is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.accessibility import MessageLabel, heading
from ui.widgets.background import op

UNEXPECTED = (
    "Homevisit could not open the vault because of an unexpected problem. Nothing was "
    "changed; try again, and contact IT if it keeps happening."
)


class UnlockScreen(QWidget):
    """Asks for the passphrase; the unlock itself (the slow KDF) runs off the UI thread."""

    unlocked = Signal(object)
    vault_erased = Signal(str)  # central ordered the vault erased at unlock: the sentence

    def __init__(self, unlock: Callable[[str], Any], hint: str = "") -> None:
        super().__init__()
        self._unlock = unlock
        self.setObjectName("unlock-screen")
        title = heading(self.tr("Homevisit"), 1)
        explain = QLabel(self.tr("Your visits are locked. Enter your passphrase to open them."))
        explain.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.button = QPushButton(self.tr("Unlock"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_unlock)
        # Its text is what is read; each new one is announced (a refusal interrupts).
        self.message = MessageLabel(self.tr("Unlock message"), assertive=True)
        if hint:
            self.say(hint)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, explain, self.passphrase, self.button, self.message):
            layout.addWidget(widget)
        layout.addStretch(2)
        self.setTabOrder(self.passphrase, self.button)

    def say(self, text: str) -> None:
        """Show a message the keyboard can reach and select."""
        # Qt's enum namespace costs ~40 ms to load: not before the screen is first shown.
        from PySide6.QtCore import Qt

        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.message.setText(text)

    def try_unlock(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self.say(self.tr("Enter your passphrase."))
            return
        self._busy(True)
        self.say(self.tr("Unlocking…"))
        op(None, lambda: self._unlock(passphrase)).success(self._succeeded).failure(
            self._failed).run()

    def _succeeded(self, session: object) -> None:
        self.passphrase.clear()
        self._busy(False)
        self.message.clear()
        self.unlocked.emit(session)

    def _failed(self, error: Exception) -> None:
        self._busy(False)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        message = getattr(error, "user_message", UNEXPECTED)
        self.say(message)
        if getattr(error, "vault_erased", False):
            self.vault_erased.emit(message)

    def _busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.button.setEnabled(not busy)
