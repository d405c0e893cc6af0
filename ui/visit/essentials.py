"""The first page of a visit: when it started, its outcome, and per child the essentials.

A team lead reading a visit, and a worker recording one, look first for whether each child
was seen, seen and spoken to alone, where they sleep, what they said, whether they go
hungry and whether they were hurt. Those questions are asked here, one group per child;
what the worker saw, wishes and feelings and the body map follow on the child's own tab.
Each question is asked in one place only: Started and Outcome are not on the Visit tab.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QGroupBox, QPushButton, QVBoxLayout

from records.case import Child
from records.validation import BABY_MONTHS
from records.visit import CommunicationMethod, FoodConcern, VisitOutcome
from ui.widgets.fields import Checks, Choice, TextBox, WhenField, YesNo
from ui.widgets.form import FieldRow, Form
from ui.widgets.labels import age_words, label, options
from ui.widgets.page import Page


class ChildEssentials(QGroupBox):
    """The essential questions for one child, titled with the child's name, plan and age.

    Owned by the child's ChildPage, which loads, collects and checks it with the rest of
    the child's record; the editor places it on the first page."""

    def __init__(self, child: Child, on: date, open_body_map: Callable[[], None]) -> None:
        super().__init__()
        name = child.given_name
        months = child.age_in_months(on)
        age = age_words(months)
        self.setTitle(f"{child.display_name} ({label(child.plan_type)}, {age})")
        self.setAccessibleName(self.title())
        self.form = form = Form()
        box = QVBoxLayout(self)
        add = box.addWidget

        def big(key: str, question: str, yes: str, no: str) -> FieldRow:
            row = form.row(key, question, YesNo(yes, no, big=True))
            font = row.question.font()
            font.setBold(True)
            row.question.setFont(font)
            add(row)
            return row

        self.reason_rows: list[tuple[str, FieldRow]] = []

        def reason(question_key: str, key: str, text: str) -> None:
            row = form.row(key, text, TextBox())
            add(row)
            self.reason_rows.append((question_key, row))

        big("seen", self.tr("Did you see {name}?").format(name=name),
            self.tr("Seen"), self.tr("Not seen"))
        reason("seen", "reason_not_seen", self.tr("Why was {name} not seen?").format(name=name))
        big("seen_alone", self.tr("Did you see {name} alone?").format(name=name),
            self.tr("Seen alone"), self.tr("Not seen alone"))
        reason("seen_alone", "reason_not_seen_alone",
               self.tr("Why was {name} not seen alone?").format(name=name))
        big("spoken_to_alone", self.tr("Did you speak to {name} alone?").format(name=name),
            self.tr("Spoken to alone"), self.tr("Not spoken to alone"))
        reason("spoken_to_alone", "reason_not_spoken_to_alone",
               self.tr("Why did you not speak to {name} alone?").format(name=name))
        if months is None or months < BABY_MONTHS:
            add(form.row("baby_seen_awake", self.tr("Was {name} seen awake?").format(name=name),
                         YesNo(self.tr("Seen awake"), self.tr("Asleep throughout"), big=True)))
        big("bedroom_seen", self.tr("Did you see where {name} sleeps?").format(name=name),
            self.tr("Bedroom seen"), self.tr("Bedroom not seen"))
        reason("bedroom_seen", "reason_bedroom_not_seen",
               self.tr("Why did you not see where {name} sleeps?").format(name=name))
        self.bedroom_rows = [
            form.row("sleeping_arrangements",
                     self.tr("Where and how does {name} sleep?").format(name=name), TextBox()),
            form.row("locks_on_outside_of_door",
                     self.tr("Is there a lock or bolt on the outside of the door?"),
                     YesNo(self.tr("Lock outside"), self.tr("No lock outside"))),
        ]
        for row in self.bedroom_rows:
            add(row)
        add(form.row("child_words", self.tr("{name}'s own words").format(name=name), TextBox(3),
                     self.tr("Exactly as {name} said it: not a summary, and not what an adult "
                             "said for them.").format(name=name)))
        add(form.row("communication_methods",
                     self.tr("How did {name} communicate?").format(name=name),
                     Checks(options(CommunicationMethod))))
        add(form.row("reason_words_not_recorded",
                     self.tr("If you could not record {name}'s words, why not?").format(
                         name=name), TextBox(2)))
        add(form.row("food_concern",
                     self.tr("Any concern about {name}'s food, hunger or weight?").format(
                         name=name), Choice(options(FoodConcern))))
        add(form.row("food_concern_details", self.tr("What is the concern?"), TextBox()))
        big("injuries_seen", self.tr("Did you see any injuries on {name}?").format(name=name),
            self.tr("Injuries seen"), self.tr("No injuries seen"))
        self._name = name
        # No Alt+letter: with two children the same letter would be on two buttons.
        self.body_map_button = QPushButton()
        self.body_map_button.clicked.connect(open_body_map)
        add(self.body_map_button)
        self.show_injury_count(0)
        form.on_change(self.update_visibility)
        self.update_visibility()

    def show_injury_count(self, count: int) -> None:
        self.body_map_button.setText(
            self.tr("Mark injuries on {name}'s body map ({n} marked)").format(
                name=self._name, n=count))

    def update_visibility(self) -> None:
        for question, row in self.reason_rows:
            row.setVisible(self.form.value(question) is False or bool(row.field.value()))
        bedroom = self.form.value("bedroom_seen") is True
        for row in self.bedroom_rows:
            row.setVisible(bedroom)
        concern = self.form.value("food_concern")
        self.form.rows["food_concern_details"].setVisible(
            concern in (FoodConcern.POSSIBLE, FoodConcern.CLEAR))
        self.body_map_button.setVisible(self.form.value("injuries_seen") is True)


class EssentialsPage(Page):
    """When the visit started, its outcome (and why there was no access), then each child's
    essential questions."""

    def __init__(self, children: list[ChildEssentials]) -> None:
        super().__init__()
        self.heading(self.tr("The essentials"),
                     self.tr("For each child: seen, alone, where they sleep, their words, "
                             "food and injuries. The rest of each child's record is on their "
                             "own tab."))
        form = self.form
        add = self.body.addWidget
        add(form.row("started_at", self.tr("Started"), WhenField()))
        add(form.row("outcome", self.tr("Outcome"), Choice(options(VisitOutcome))))
        self.no_access = [
            form.row("no_access_reasons", self.tr("Why could you not get in?"), TextBox()),
            form.row("no_access_steps_taken",
                     self.tr("What did you do to find and see the children?"), TextBox()),
        ]
        for row in self.no_access:
            add(row)
        form.rows["outcome"].field.changed.connect(self._show_no_access)
        self._show_no_access()
        for group in children:
            add(group)

    def _show_no_access(self) -> None:
        no_access = self.form.value("outcome") is VisitOutcome.NO_ACCESS
        for row in self.no_access:
            row.setVisible(no_access or bool(row.field.value()))

    def load(self, data: dict[str, Any]) -> None:
        self.form.load(data)
        self._show_no_access()

