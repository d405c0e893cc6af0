"""A team lead's records of oversight on one child: a supervision discussion of the case, and
a decision on a repeated concern (records/case_notes.py `Supervision`, `ConcernConsidered`).

A repeated concern (food or weight, injuries, a child not seen alone) stays red however many
visits are signed off, until a team lead records here that the pattern was considered and
what was decided; a case not
supervised is flagged until a supervision is recorded. Both are signed and synced like
visits. Opened from the review screen's Child tab; every field is labelled and reached by
Tab, and nothing is recorded until what is missing is given.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from records.case import Child
from records.case_notes import ConcernConsidered, Supervision
from records.flag_types import Flag, FlagCode
from ui.widgets.accessibility import MessageLabel
from ui.widgets.fields import DayField, TextBox, TextLine
from ui.widgets.form import Form

Recorder = Callable[[Supervision | ConcernConsidered], None]


def _save_or_cancel(dialog: QDialog, save: Callable[[], None]) -> QDialogButtonBox:
    """Save (the default: it checks, records and closes) and Cancel (records nothing)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


class SupervisionDialog(QDialog):
    def __init__(self, parent: QWidget, child: Child, today: date, record: Recorder,
                 supervisor: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Homevisit — supervision of {name}'s case").format(
            name=child.display_name))
        self.child, self.today, self._record = child, today, record
        self.form = Form()
        self.message = MessageLabel(self.tr("Supervision message"), assertive=True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Record a supervision discussion of this case. Until one is recorded within the "
            "council's interval, the case is flagged as not supervised.")))
        self.form.row("supervised_on", self.tr("Date of supervision"), DayField())
        self.form.row("supervisor", self.tr("Supervised by"), TextLine())
        self.form.row("summary", self.tr("What was discussed and decided"), TextBox(4))
        for row in self.form.rows.values():
            layout.addWidget(row)
        self.form.rows["supervised_on"].field.set_value(today)
        self.form.rows["supervisor"].field.set_value(supervisor)
        layout.addWidget(self.message)
        layout.addWidget(_save_or_cancel(self, self._save))

    def _save(self) -> None:
        day = self.form.value("supervised_on")
        supervisor = (self.form.value("supervisor") or "").strip()
        missing = []
        if not isinstance(day, date) or day > self.today:
            missing.append(self.tr("a date of supervision no later than today"))
        if not supervisor:
            missing.append(self.tr("who supervised"))
        if missing:
            self.message.setText(self.tr("Nothing was recorded yet. Give {what}.").format(
                what=self.tr(" and ").join(missing)))
            return
        assert isinstance(day, date)
        self._record(Supervision(
            id=uuid.uuid4(), case_id=self.child.case_id, child_ids=(self.child.id,),
            supervised_on=day, supervisor=supervisor,
            summary=(self.form.value("summary") or "").strip(),
            entered_at=datetime.now(UTC)))
        self.accept()


class ConcernConsideredDialog(QDialog):
    def __init__(self, parent: QWidget, child: Child, flag: Flag, covered: tuple[UUID, ...],
                 record: Recorder) -> None:
        """`covered`: every concern of that kind this laptop holds for the child (the
        chronology's `concerns`): what the decision settles, and nothing it never saw."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Homevisit — a repeated concern about {name}").format(
            name=child.display_name))
        self.child, self.flag, self.covered, self._record = child, flag, covered, record
        self.form = Form()
        self.message = MessageLabel(self.tr("Decision message"), assertive=True)
        layout = QVBoxLayout(self)
        pattern = QLabel(flag.reason)
        pattern.setWordWrap(True)
        layout.addWidget(pattern)
        layout.addWidget(QLabel(self.tr(
            "Record that you have considered these concerns together, and what you decided. "
            "The flag is settled until the concern is recorded again.")))
        if flag.code is FlagCode.NOT_SEEN_ALONE_PATTERN:
            layout.addWidget(QLabel(self.tr(
                "A child not seen alone at the latest visits stays flagged for that until a "
                "visit sees them alone.")))
        self.form.row("decision", self.tr("What you decided"), TextBox(4))
        layout.addWidget(self.form.rows["decision"])
        layout.addWidget(self.message)
        layout.addWidget(_save_or_cancel(self, self._save))

    def _save(self) -> None:
        decision = (self.form.value("decision") or "").strip()
        if not decision:
            self.message.setText(self.tr(
                "Nothing was recorded yet. Write what you decided: a referral, a plan, or why "
                "no more is needed."))
            return
        self._record(ConcernConsidered(
            id=uuid.uuid4(), case_id=self.child.case_id, child_ids=(self.child.id,),
            flag_code=self.flag.code.value, decision=decision,
            considered_at=datetime.now(UTC), covered=self.covered))
        self.accept()
