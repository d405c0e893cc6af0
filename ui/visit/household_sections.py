"""The household tabs: home conditions (E), adults and risk (F), analysis and actions (G)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.widgets.accessibility import MessageLabel
from ui.widgets.fields import DayField, Score, TextBox, TextLine, YesNo
from ui.widgets.form import Form, ProblemSpot
from ui.widgets.page import Page
from ui.widgets.row_list import RowList

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


def _action_rows(form: Form) -> None:
    form.row("what", translate("HouseholdPage", "What"), TextLine())
    form.row("who", translate("HouseholdPage", "Who"), TextLine())
    form.row("by_when", translate("HouseholdPage", "By when"), DayField())


def _shared_rows(form: Form) -> None:
    form.row("with_whom", translate("HouseholdPage", "Shared with"), TextLine())
    form.row("what", translate("HouseholdPage", "What was shared"), TextLine())
    form.row("legal_basis", translate("HouseholdPage", "Legal basis"), TextLine())
    form.row("shared_on", translate("HouseholdPage", "Date shared"), DayField())


class HomeAndRiskPage(Page):
    """The home as the worker found it, and the adults around the children."""

    def __init__(self) -> None:
        super().__init__()
        form = self.form
        add = self.body.addWidget
        self.heading(self.tr("Home conditions"))
        add(form.row("home.description", self.tr("Describe the home"), TextBox(4)))
        add(form.row("home.enough_food_in_home", self.tr("Was there enough food in the home?"),
                     YesNo(self.tr("Enough food"), self.tr("Not enough food"))))
        add(form.row("home.home_warm", self.tr("Was the home warm enough?"),
                     YesNo(self.tr("Warm"), self.tr("Cold"))))
        add(form.row("home.bed_for_each_child", self.tr("Is there a bed for each child?"),
                     YesNo(self.tr("A bed each"), self.tr("Not a bed each"))))
        add(form.row("home.hazards_seen", self.tr("Did you see any hazards?"),
                     YesNo(self.tr("Hazards seen"), self.tr("No hazards"))))
        add(form.row("home.hazards_details", self.tr("What hazards?"), TextBox()))
        add(form.row("home.health_appointments_kept",
                     self.tr("Have the children's health appointments been kept?"),
                     YesNo(self.tr("Kept"), self.tr("Missed"))))
        self.heading(self.tr("Adults and risk"),
                     self.tr("Ask about police call-outs, Operation Encompass notifications "
                             "and MARAC since the last visit, and who has moved in or out."))
        add(form.row("adults_and_risk.domestic_abuse_since_last_visit",
                     self.tr("Any domestic abuse since the last visit, including police "
                             "notifications?"),
                     YesNo(self.tr("Yes, domestic abuse"), self.tr("None known"), big=True)))
        add(form.row("adults_and_risk.domestic_abuse_details",
                     self.tr("What happened, and which agencies were involved?"), TextBox()))
        add(form.row("adults_and_risk.household_changes",
                     self.tr("Has anyone moved in or out since the last visit?"),
                     YesNo(self.tr("Yes, changes"), self.tr("No changes"), big=True)))
        add(form.row("adults_and_risk.household_changes_details",
                     self.tr("Who has joined or left?"), TextBox()))
        add(form.row("adults_and_risk.substance_use_concern",
                     self.tr("Any concern about drug or alcohol use?"),
                     YesNo(self.tr("Concern"), self.tr("No concern"))))
        add(form.row("adults_and_risk.substance_use_details", self.tr("What concern?"),
                     TextBox()))
        add(form.row("adults_and_risk.risk_scale",
                     self.tr("Signs of Safety scale, 0 to 10, if used"), Score(0, 10)))
        # Scored only when assessed: after the questions every visit answers.
        self.heading(self.tr("Graded Care Profile 2"),
                     self.tr("The home's grades, 1 (best) to 5 (worst), if assessed."))
        for key, text in (("gcp2_physical_care", self.tr("Physical care")),
                          ("gcp2_safety", self.tr("Safety")),
                          ("gcp2_love_and_care", self.tr("Love and care")),
                          ("gcp2_esteem", self.tr("Esteem"))):
            add(form.row(f"home.{key}", text, Score(1, 5)))
        for question, details in (
            ("home.hazards_seen", "home.hazards_details"),
            ("adults_and_risk.domestic_abuse_since_last_visit",
             "adults_and_risk.domestic_abuse_details"),
            ("adults_and_risk.household_changes", "adults_and_risk.household_changes_details"),
            ("adults_and_risk.substance_use_concern", "adults_and_risk.substance_use_details"),
        ):
            self._details_when_yes(question, details)

    def _details_when_yes(self, question: str, details: str) -> None:
        asked = self.form.rows[question].field
        row = self.form.rows[details]

        def update() -> None:
            row.setVisible(asked.value() is True or bool(row.field.value()))

        asked.changed.connect(update)
        update()


class AnalysisPage(Page):
    """What the visit tells the worker, what happens next, and what was shared."""

    def __init__(self) -> None:
        super().__init__()
        self.heading(self.tr("Analysis"))
        self.body.addWidget(self.form.row(
            "analysis", self.tr("What does this visit tell you about the risk to the children?"),
            TextBox(6)))
        self.heading(self.tr("Actions"))
        self.action_list = RowList(self.tr("Action"), self.tr("Add an &action"), _action_rows)
        self.body.addWidget(self.action_list)
        self.heading(self.tr("Information shared"))
        self.shared = RowList(self.tr("Information shared"), self.tr("Add in&formation shared"),
                              _shared_rows)
        self.body.addWidget(self.shared)
        self.heading(self.tr("Next visit"))
        self.next_due = MessageLabel(self.tr("Next visit due"))
        self.body.addWidget(self.next_due)
        self._base: dict[str, Any] = {}

    def show_next_due(self, due: date | None) -> None:
        if due is None:
            text = self.tr("The next visit date will be worked out when the visit is "
                           "submitted, from each child's plan.")
        else:
            text = self.tr("Next visit due by {day} (from the children's plans, in working "
                           "days).").format(day=due.strftime("%A %d %B %Y"))
        self.next_due.setText(text)

    def load(self, data: dict[str, Any]) -> None:
        self._base = data
        self.form.load(data)
        self.action_list.load(list(data.get("actions") or ()))
        self.shared.load(list(data.get("information_shared") or ()))

    def collect(self) -> dict[str, Any]:
        values = self.form.collect()
        values["actions"] = self.action_list.collect(self._base.get("actions") or ())
        values["information_shared"] = self.shared.collect(
            self._base.get("information_shared") or ())
        return values

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)
        self.action_list.set_read_only(read_only)
        self.shared.set_read_only(read_only)

    def on_change(self, callback: Callable[[], None]) -> None:
        self.form.on_change(callback)
        self.action_list.changed.connect(callback)
        self.shared.changed.connect(callback)

    def spots(self) -> dict[str, ProblemSpot]:
        return {**self.form.spots, **self.action_list.spots("actions"),
                **self.shared.spots("information_shared")}
