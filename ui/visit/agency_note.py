"""Record information from another agency about a household's children, between visits.

A police domestic abuse notification, Operation Encompass, MARAC, a school's or a health
visitor's concern: a record of its own (records/case_notes.py), signed and synced like a
visit, so that whoever sees the child next, and their team lead, sees it too. Opened from the
caseload (*Record information from another agency…*, Ctrl+I). Every field has its label as
its accessible name and is reached with Tab; Save is the default button.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from records.case import Case, Child
from records.case_notes import AgencyKind, AgencyNotification
from records.note_rules import problems_in_note
from ui.services import VisitServices
from ui.widgets.accessibility import MessageLabel
from ui.widgets.background import op
from ui.widgets.fields import Choice, DayField, TextBox, TextLine, YesNo
from ui.widgets.form import Form, problem_label


class AgencyNoteDialog(QDialog):
    """The worker's (or team lead's) form for one notification; `recorded` runs once the
    vault holds it."""

    def __init__(self, parent: QWidget, services: VisitServices, case: Case,
                 children: list[Child], chosen: UUID, *, today: date,
                 recorded: Callable[[AgencyNotification], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Homevisit — information from another agency"))
        self.services = services
        self.case = case
        self.today = today
        self._recorded = recorded
        self.form = Form()
        intro = QLabel(self.tr(
            "Record what another agency told you about this household, in their words where "
            "you can. It is kept as a record of its own, signed and sent to your team lead, "
            "and stays marked as not followed up until you discuss it with the child alone "
            "at a visit."))
        intro.setWordWrap(True)
        self.children_label = QLabel(self.tr("Which children is it about?"))
        self.child_boxes: list[tuple[Child, QCheckBox]] = []
        holder = QWidget()
        fields = QVBoxLayout(holder)
        fields.addWidget(intro)
        fields.addWidget(self.children_label)
        for child in children:
            box = QCheckBox(child.display_name)
            box.setAccessibleName(self.tr("About {name}").format(name=child.display_name))
            box.setChecked(child.id == chosen)
            fields.addWidget(box)
            self.child_boxes.append((child, box))
        self.children_problem = problem_label()
        fields.addWidget(self.children_problem)
        self.form.spot("child_ids", self.children_problem,
                       self.child_boxes[0][1] if self.child_boxes else self)
        fields.addWidget(self.form.row(
            "source", self.tr("Who told you? (agency, and the person if known)"), TextLine()))
        fields.addWidget(self.form.row(
            "kind", self.tr("What kind of information is it?"),
            Choice([(kind, kind.label) for kind in AgencyKind])))
        fields.addWidget(self.form.row("received_on", self.tr("Date you received it"),
                                       DayField()))
        fields.addWidget(self.form.row("summary", self.tr("What did they tell you?"),
                                       TextBox(6)))
        # Asked of every kind: a police call-out can report a bruise, a school hunger. The
        # answers join the child's patterns (records.case_notes, "about_injury").
        fields.addWidget(self.form.row(
            "reports_injury", self.tr("Does it report an injury, bruise or mark on a child?"),
            YesNo(self.tr("Yes, an injury"), self.tr("No injury"))))
        fields.addWidget(self.form.row(
            "reports_food_or_weight",
            self.tr("Does it report hunger, or a concern about food or weight?"),
            YesNo(self.tr("Yes, hunger, food or weight"), self.tr("No food or weight concern"))))
        fields.addWidget(self.form.row(
            "child_seen_on", self.tr("When did that agency last see the child? (if they said)"),
            DayField()))
        self.form.rows["received_on"].field.set_value(today)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes into the form, not its frame
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.message = MessageLabel(self.tr("Agency note message"), assertive=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(600, 640)
        focus = next((box for child, box in self.child_boxes if child.id == chosen), None)
        (focus or self.form.rows["source"].field).setFocus()

    def chosen_children(self) -> tuple[UUID, ...]:
        return tuple(child.id for child, box in self.child_boxes if box.isChecked())

    def problems(self) -> dict[str, str]:
        """What must be put right before saving, by field; empty when it can be saved."""
        values = self.form.collect()
        found: dict[str, str] = {}
        if not self.chosen_children():
            found["child_ids"] = self.tr("Tick at least one child.")
        if values["kind"] is None:
            found["kind"] = self.tr("Choose what kind of information it is.")
        if values["received_on"] is None:
            found["received_on"] = self.tr("Say when you received it.")
        if values["reports_injury"] is None:
            found["reports_injury"] = self.tr(
                "Say whether it reports an injury: it is joined up with injuries seen at "
                "visits.")
        if values["reports_food_or_weight"] is None:
            found["reports_food_or_weight"] = self.tr(
                "Say whether it reports hunger, food or weight: it is joined up with the "
                "concerns recorded at visits.")
        as_written = AgencyNotification.model_construct(
            id=uuid.UUID(int=0), case_id=self.case.id, child_ids=self.chosen_children(),
            source=values["source"], kind=values["kind"] or AgencyKind.OTHER,
            received_on=values["received_on"] or self.today, summary=values["summary"],
            child_seen_on=values["child_seen_on"], entered_at=datetime.now(UTC))
        for problem in problems_in_note(as_written, today=self.today):
            found.setdefault(problem.field, problem.message)
        return found

    def note(self) -> AgencyNotification:
        values = self.form.collect()
        return AgencyNotification(
            id=uuid.uuid4(), case_id=self.case.id, child_ids=self.chosen_children(),
            source=values["source"].strip(), kind=values["kind"],
            received_on=values["received_on"], summary=values["summary"].strip(),
            child_seen_on=values["child_seen_on"], entered_at=datetime.now(UTC),
            reports_injury=values["reports_injury"],
            reports_food_or_weight=values["reports_food_or_weight"])

    def save(self) -> None:
        for spot in self.form.spots.values():
            spot.clear_problem()
        problems = self.problems()
        if problems:
            for name, message in problems.items():
                self.form.spots[name].show_problem(message)
            first = next(iter(problems))
            self.form.spots[first].target.setFocus()
            self.message.setText(self.tr("Nothing was recorded yet: put right what is marked."))
            return
        note = self.note()
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("Recording…"))

        def failed(error: Exception) -> None:
            self.buttons.setEnabled(True)
            self.message.setText(getattr(error, "user_message", self.tr(
                "It could not be recorded. Nothing was lost: what you wrote is still here; "
                "try again, and contact IT if it recurs.")))

        def done(_: object) -> None:
            if self._recorded is not None:
                self._recorded(note)
            self.accept()

        services = self.services
        op(self, lambda: services.record_note(note)).success(done).failure(failed).run()
