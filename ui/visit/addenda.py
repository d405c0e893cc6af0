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

from records.contracts import AddendumDraft, StoredAddendum
from ui.services import VisitServices
from ui.widgets.accessibility import MessageLabel, heading
from ui.widgets.background import op
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
                 addenda: list[StoredAddendum], draft: AddendumDraft | None = None) -> None:
        super().__init__()
        self.services = services
        self.visit_id = visit_id
        self.draft = draft  # what was being written when the vault last locked
        self.dialog: AddendumDialog | None = None  # open now, while the worker writes
        self.closing = False  # the editor is going (a lock, a close): its flush keeps a draft
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
        if draft is not None:
            self.message.setText(self.tr(
                "The addendum you were writing when the vault locked ({time}) is kept. "
                "Choose Add addendum to carry on with it.").format(
                time=draft.saved_at.astimezone().strftime("%d %b %Y %H:%M")))

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
        if self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        values = dialog.form.collect()
        self.add(values["reason"], values["text"])

    def run_dialog(self, dialog: AddendumDialog) -> int:
        """Show an addendum dialog (a new one or an answer), carrying on any kept draft; while
        it is open, a lock can keep what it holds (`unfinished`)."""
        if self.draft is not None:
            dialog.form.rows["reason"].field.set_value(self.draft.reason)
            dialog.form.rows["text"].field.set_value(self.draft.text)
        self.dialog = dialog
        try:
            with focus_kept(self.add_button):
                answer = dialog.exec()
        finally:
            self.dialog = None
        if answer != QDialog.DialogCode.Accepted and not self.closing:
            self._cancelled(dialog)
        return answer

    def _cancelled(self, dialog: AddendumDialog) -> None:
        """Cancelled by the worker: a kept draft follows what the dialog held (emptied: gone;
        still written: kept as it is now, to carry on later)."""
        if self.draft is None:
            return
        values = dialog.form.collect()
        reason, text = str(values["reason"] or ""), str(values["text"] or "")
        services, visit_id = self.services, self.visit_id
        if reason.strip() or text.strip():
            op(self, lambda: services.save_addendum_draft(visit_id, reason, text)).run()
            return
        self.draft = None
        self.message.setText("")
        op(self, lambda: services.discard_addendum_draft(visit_id)).run()

    def unfinished(self) -> tuple[str, str] | None:
        """The reason and text in the open addendum dialog, if anything is written there."""
        dialog = self.dialog
        if dialog is None or not dialog.isVisible():
            return None
        values = dialog.form.collect()
        reason, text = str(values["reason"] or ""), str(values["text"] or "")
        return (reason, text) if (reason.strip() or text.strip()) else None

    def add(self, reason: str, text: str, *, answers_review_id: UUID | None = None,
            then: Callable[[], None] | None = None) -> None:
        """Write the addendum on the vault lane; `then` runs once it is stored."""
        services, visit_id = self.services, self.visit_id

        def failed(error: Exception) -> None:
            self.message.setText(getattr(error, "user_message", str(type(error).__name__)))

        def added(addenda: list[StoredAddendum]) -> None:
            self.draft = None  # the vault dropped it with the addendum stored
            self.message.setText(self.tr("Addendum added."))
            self.show_addenda(addenda)
            if then is not None:
                then()

        op(self, lambda: services.add_addendum(
            visit_id, reason, text, answers_review_id=answers_review_id)
           ).success(added).failure(failed).run()
