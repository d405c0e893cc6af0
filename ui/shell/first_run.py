"""First run: choose the passphrase that will protect this laptop's visits.

The policy's minimum length is enforced by the vault itself; this screen shows it, shows
a strength estimate, and says plainly whether IT can recover a forgotten passphrase. When
IT's one-time code is typed too, the new vault is enrolled with central straight after it
is made; if that fails the vault is kept, and the worker can try again or go on without.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.shell.enroll import EnrollmentForm, EnrollWith
from ui.widgets.accessibility import MessageLabel, heading
from ui.widgets.background import op


def strength_bits(passphrase: str) -> float:
    """A rough guessing-resistance estimate: character variety times length, less repeats."""
    if not passphrase:
        return 0.0
    pool = 0
    pool += 26 if any(c.islower() for c in passphrase) else 0
    pool += 26 if any(c.isupper() for c in passphrase) else 0
    pool += 10 if any(c.isdigit() for c in passphrase) else 0
    pool += 33 if any(not c.isalnum() for c in passphrase) else 0
    distinct = len(set(passphrase.lower()))
    effective_length = min(len(passphrase), distinct * 2)
    return effective_length * math.log2(max(pool, 2))


class FirstRunScreen(QWidget):
    """Creates the vault; the slow key derivation runs off the UI thread."""

    created = Signal(object)

    def __init__(self, create: Callable[[str], Any], minimum_length: int,
                 recovery_configured: bool, *, enroll_with: EnrollWith | None = None,
                 server_url: str | None = None, server_url_managed: bool = False) -> None:
        super().__init__()
        self._create = create
        self._enroll_with = enroll_with
        self._made: Any = None  # the vault, once made, while it is being enrolled
        self.minimum_length = minimum_length
        title = heading(self.tr("Welcome to Homevisit"), 1)
        explain = QLabel(self.tr(
            "Your visits are kept encrypted on this laptop. Choose a passphrase of at least "
            "{n} characters: a few unrelated words is easy to type and hard to guess. You "
            "will need it every time you open Homevisit.").format(n=minimum_length))
        explain.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("New passphrase"))
        self.passphrase.setPlaceholderText(self.tr("New passphrase"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(self.tr("Type the passphrase again"))
        self.confirm.setPlaceholderText(self.tr("Type it again"))
        self.strength = QProgressBar()
        self.strength.setRange(0, 100)
        self.strength.setAccessibleName(self.tr("Passphrase strength"))
        self.strength.setTextVisible(True)
        self.verdict = MessageLabel(self.tr("Passphrase check"))
        self.button = QPushButton(self.tr("Create my vault"))
        self.button.setDefault(True)
        self.button.setEnabled(False)
        self.button.clicked.connect(self.try_create)
        self.confirm.returnPressed.connect(self.try_create)
        recovery = QGroupBox(self.tr("If you forget your passphrase"))
        recovery_text = QLabel(
            self.tr("Your organisation's recovery key is set up: IT can reopen this vault "
                    "for you without losing anything.") if recovery_configured else
            self.tr("No recovery key is set up on this laptop: if you forget your passphrase, "
                    "visits not yet synced cannot be recovered. Tell IT."))
        recovery_text.setWordWrap(True)
        QVBoxLayout(recovery).addWidget(recovery_text)
        enrollment = QGroupBox(self.tr("Connecting to your council's system"))
        enrollment_text = QLabel(
            self.tr("If IT has given you a one-time code, type it here to connect this laptop "
                    "for syncing. Without one, you can connect later from Vault › Connect to "
                    "central….") if enroll_with is not None else
            self.tr("After this, IT will give you a one-time code to connect this laptop for "
                    "syncing."))
        enrollment_text.setWordWrap(True)
        self.enrollment = QVBoxLayout(enrollment)
        self.enrollment.addWidget(enrollment_text)
        self.enroll_form: EnrollmentForm | None = None
        self.go_on = QPushButton(self.tr("Continue without connecting"))
        self.go_on.setVisible(False)
        self.go_on.clicked.connect(self._continue)
        if enroll_with is not None:
            self.enroll_form = EnrollmentForm(server_url, server_url_managed)
            self.enroll_form.enrolled.connect(lambda _said: self._continue())
            self.enroll_form.failed.connect(self._not_enrolled)
            self.enroll_form.code.returnPressed.connect(self.try_create)
            self.enrollment.addWidget(self.enroll_form)
            self.enrollment.addWidget(self.go_on)
        self.message = MessageLabel(self.tr("Vault message"), assertive=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout = QVBoxLayout(self)
        for widget in (title, explain, self.passphrase, self.confirm, self.strength,
                       self.verdict, self.button, self.message, recovery, enrollment):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.passphrase.textChanged.connect(self._check)
        self.confirm.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        if self._made is not None:
            self.verdict.clear()
            return  # the vault is made: the button now retries the connection
        text = self.passphrase.text()
        bits = strength_bits(text)
        self.strength.setValue(min(100, int(bits)))
        words = (self.tr("Weak") if bits < 50 else self.tr("Fair") if bits < 70
                 else self.tr("Strong"))
        self.strength.setFormat(words if text else "")
        if len(text) < self.minimum_length:
            verdict = self.tr("{n} more characters needed.").format(
                n=self.minimum_length - len(text))
        elif self.confirm.text() != text:
            verdict = self.tr("The two passphrases do not match yet.")
        else:
            verdict = self.tr("Ready.")
        self.verdict.setText(verdict)
        self.button.setEnabled(len(text) >= self.minimum_length and self.confirm.text() == text)

    def try_create(self) -> None:
        if not self.button.isEnabled():
            return
        if self._made is not None:  # the vault exists; enrolling it failed: try again
            self._enroll()
            return
        passphrase = self.passphrase.text()
        for widget in (self.passphrase, self.confirm, self.button):
            widget.setEnabled(False)
        self.message.setText(self.tr("Creating your vault…"))
        op(self, lambda: self._create(passphrase)).success(self._succeeded).failure(
            self._failed).run()

    def _succeeded(self, result: object) -> None:
        self._made = result
        self.passphrase.clear()
        self.confirm.clear()
        self.message.clear()
        if self.enroll_form is not None and self.enroll_form.has_code():
            self._enroll()
        else:
            self._continue()

    def _enroll(self) -> None:
        form, made = self.enroll_form, self._made
        if form is None or made is None or self._enroll_with is None:
            return
        self.button.setEnabled(False)
        self.go_on.setVisible(False)
        form.start(made.services, self._enroll_with)

    def _not_enrolled(self, _why: str) -> None:
        """The vault is made and kept; the worker may try the code again or go on."""
        self.message.setText(self.tr("Your vault is ready. It is not connected to central "
                                     "yet: see below."))
        self.button.setText(self.tr("Try connecting again"))
        self.button.setEnabled(True)
        self.go_on.setVisible(True)

    def _continue(self) -> None:
        made, self._made = self._made, None
        if made is not None:
            self.created.emit(made)

    def _failed(self, error: Exception) -> None:
        for widget in (self.passphrase, self.confirm):
            widget.setEnabled(True)
        self._check()
        self.message.setText(getattr(error, "user_message", self.tr(
            "The vault could not be created. Nothing was saved; try again.")))
