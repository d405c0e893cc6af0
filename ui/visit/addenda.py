"""Addenda: the only way to correct or add to a submitted visit, each with its reason."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from records.contracts import StoredAddendum
from ui.services import VisitServices
from ui.widgets.accessibility import MessageLabel, heading
from ui.widgets.background import run_in_background
from ui.widgets.fields import TextBox
from ui.widgets.focus import focus_kept
from ui.widgets.form import Form


class AddendumDialog(QDialog):
    def __init__(self, parent: QWidget, *, question: str = "", reason: str = "") -> None:
        """With `question`, the addendum answers the team lead's question, shown above it."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Homevisit — answer your team lead") if question
                            else self.tr("Homevisit — add an addendum"))
        self.form = Form()
        layout = QVBoxLayout(self)
        if question:
            asked = QLabel(self.tr("<b>Your team lead asked:</b>"))
            quoted = QLabel(question)
            quoted.setWordWrap(True)
            quoted.setAccessibleDescription(self.tr("Your team lead's question"))
            layout.addWidget(asked)
            layout.addWidget(quoted)
        note = QLabel(self.tr("The visit itself stays exactly as submitted. The addendum is "
                              "added after it, dated and signed."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.form.row("reason", self.tr("Why are you adding to this visit?"),
                                       TextBox(2)))
        layout.addWidget(self.form.row("text", self.tr("Your answer") if question
                                       else self.tr("The addendum"), TextBox(6)))
        if reason:
            self.form.rows["reason"].field.set_value(reason)
        self.message = MessageLabel(self.tr("Addendum message"), assertive=True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)


class AddendaPanel(QWidget):
    """The addenda under a submitted visit, oldest first, and the button to add one."""

    def __init__(self, services: VisitServices, visit_id: UUID,
                 addenda: list[StoredAddendum]) -> None:
        super().__init__()
        self.services = services
        self.visit_id = visit_id
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Addenda"))
        self.text.setMaximumHeight(140)
        self.add_button = QPushButton(self.tr("Add &addendum…"))
        self.add_button.clicked.connect(self.ask)
        self.message = MessageLabel(self.tr("Addenda message"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Addenda"), 4))
        layout.addWidget(self.text)
        layout.addWidget(self.message)
        layout.addWidget(self.add_button)
        self.show_addenda(addenda)

    def show_addenda(self, addenda: list[StoredAddendum]) -> None:
        if not addenda:
            self.text.setPlainText(self.tr("No addenda."))
            return
        lines = []
        for stored in addenda:
            a = stored.addendum
            lines.append(f"{stored.sequence}. {a.written_at.astimezone():%d %b %Y %H:%M} — "
                         f"{a.author}\n{self.tr('Reason')}: {a.reason}\n{a.text}\n")
        self.text.setPlainText("\n".join(lines))

    def ask(self) -> None:
        dialog = AddendumDialog(self)
        with focus_kept(self.add_button):
            answer = dialog.exec()
        if answer != QDialog.DialogCode.Accepted:
            return
        values = dialog.form.collect()
        self.add(values["reason"], values["text"])

    def add(self, reason: str, text: str, *, answers_review_id: UUID | None = None,
            then: Callable[[], None] | None = None) -> None:
        """Write the addendum on the vault lane; `then` runs once it is stored."""
        services, visit_id = self.services, self.visit_id

        def failed(error: Exception) -> None:
            self.message.setText(getattr(error, "user_message", str(type(error).__name__)))

        def added(addenda: list[StoredAddendum]) -> None:
            self.message.setText(self.tr("Addendum added."))
            self.show_addenda(addenda)
            if then is not None:
                then()

        run_in_background(lambda: services.add_addendum(
            visit_id, reason, text, answers_review_id=answers_review_id), added, failed,
            owner=self)
