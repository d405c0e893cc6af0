"""Connecting this laptop to central with IT's one-time code: on the first-run screen, and
from an unlocked window (*Vault › Connect to central…*), e.g. after IT revoked it.

Central's address comes from policy: when IT set it, it is shown and cannot be changed;
otherwise the worker types it. Enrolling talks to central, so it runs off the UI thread
(`op`); every refusal comes back as a sentence to show as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.accessibility import MessageLabel
from ui.widgets.background import op

if TYPE_CHECKING:
    from ui.services import Connected, VisitServices



# On the vault lane: enroll the open vault with (address, code, whether IT set the address).
EnrollWith = Callable[["VisitServices", str, str, bool], "Connected"]


class EnrollmentForm(QWidget):
    """Central's address and the one-time code, and what came of trying them."""

    enrolled = Signal(str)  # the sentence saying with which central, as whom
    failed = Signal(str)  # why not; nothing on the laptop changed

    def __init__(self, server_url: str | None, managed: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.managed = managed and server_url is not None
        self.server = QLineEdit(server_url or "")
        self.server.setAccessibleName(self.tr("Central's address"))
        self.server.setPlaceholderText(self.tr("https://central.example.org"))
        self.server.setReadOnly(self.managed)
        self.code = QLineEdit()
        self.code.setAccessibleName(self.tr("One-time code"))
        self.code.setPlaceholderText(self.tr("e.g. 83ABA-J7SJV-B7XGZ-TW52S"))
        self.message = MessageLabel(self.tr("Connection result"), assertive=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        fields = QFormLayout()
        fields.addRow(self.tr("Central's address"), self.server)
        if self.managed:
            managed_note = QLabel(self.tr("Set by your IT department."))
            fields.addRow("", managed_note)
        fields.addRow(self.tr("One-time code"), self.code)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(fields)
        layout.addWidget(self.message)
        self.busy = False

    def has_code(self) -> bool:
        return bool(self.code.text().strip())

    def start(self, services: VisitServices, enroll_with: EnrollWith) -> None:
        """Enroll on the vault lane; `enrolled` or `failed` says how it went."""
        if self.busy:
            return
        server, code, managed = self.server.text().strip(), self.code.text().strip(), self.managed
        self.busy = True
        self.server.setEnabled(False)
        self.code.setEnabled(False)
        self.message.setText(self.tr("Connecting to central…"))
        op(self, lambda: enroll_with(services, server, code, managed)).success(
            self._succeeded).failure(self._failed).run()

    def _succeeded(self, connected: Connected) -> None:
        self.busy = False
        said = self.tr("This laptop is connected to central at {url} as {name}. Visits you "
                       "submit are sent automatically.").format(url=connected.server_url,
                                                                name=connected.display_name)
        self.message.setText(said)
        self.enrolled.emit(said)

    def _failed(self, error: Exception) -> None:
        self.busy = False
        self.server.setEnabled(True)
        self.code.setEnabled(True)
        message = getattr(error, "user_message", None) or self.tr(
            "This laptop could not be connected to central. Nothing was lost: your visits "
            "stay on this laptop, encrypted. Try again, and tell IT if it happens again.")
        self.message.setText(message)
        self.code.setFocus()
        self.failed.emit(message)


class EnrollDialog(QDialog):
    """*Connect to central…*: the form, Connect and Cancel."""

    def __init__(self, parent: QWidget, services: VisitServices, enroll_with: EnrollWith,
                 server_url: str | None, managed: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to central"))
        self._services = services
        self._enroll_with = enroll_with
        explain = QLabel(self.tr(
            "Type the one-time code IT gave you to connect this laptop to your council's "
            "system. Your visits stay on this laptop either way."))
        explain.setWordWrap(True)
        self.form = EnrollmentForm(server_url, managed, self)
        self.buttons = QDialogButtonBox()
        self.connect_button = QPushButton(self.tr("&Connect"))
        self.connect_button.setDefault(True)
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_enroll)
        self.buttons.rejected.connect(self.reject)
        self.form.enrolled.connect(lambda _said: self.accept())
        self.form.failed.connect(lambda _why: self.connect_button.setEnabled(True))
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        (self.form.code if self.form.managed or self.form.server.text()
         else self.form.server).setFocus()

    def try_enroll(self) -> None:
        if not self.form.has_code():
            self.form.message.setText(self.tr("Type the one-time code first."))
            self.form.code.setFocus()
            return
        self.connect_button.setEnabled(False)
        self.form.start(self._services, self._enroll_with)
