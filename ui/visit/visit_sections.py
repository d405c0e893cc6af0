"""The visit itself (A, apart from Started and Outcome, which are on the first page) and
people and language (B)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from records.visit import InterpreterKind, VisitType
from ui.widgets.accessibility import announce
from ui.widgets.fields import Choice, DayField, TextBox, TextLine, WhenField, YesNo
from ui.widgets.form import Form, ProblemSpot
from ui.widgets.labels import options
from ui.widgets.page import Page
from ui.widgets.row_list import RowList


class VisitDetailsPage(Page):
    """Who visited, when it ended, where and why (when it started and its outcome are on the
    first page, with the essentials)."""

    def __init__(self) -> None:
        super().__init__()
        self.heading(self.tr("The visit"))
        form = self.form
        add = self.body.addWidget
        add(form.row("worker", self.tr("Your name"), TextLine()))
        add(form.row("visit_type", self.tr("Type of visit"), Choice(options(VisitType))))
        add(form.row("announced", self.tr("Was the visit announced?"),
                     YesNo(self.tr("Announced"), self.tr("Unannounced"))))
        add(form.row("ended_at", self.tr("Ended"), WhenField()))
        add(form.row("location", self.tr("Where"), TextLine()))
        add(form.row("purpose", self.tr("Purpose of the visit"), TextBox()))


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


def _person_rows(form: Form) -> None:
    form.row("name", translate("PeoplePage", "Name"), TextLine())
    form.row("relationship", translate("PeoplePage", "Relationship to the children"), TextLine())
    form.row("date_of_birth", translate("PeoplePage", "Date of birth, if known"), DayField())
    form.row("new_to_household", translate("PeoplePage", "New to the household?"),
             YesNo(translate("PeoplePage", "New"), translate("PeoplePage", "Not new")))


class PeoplePage(Page):
    """Everyone in the home, the languages spoken, and who interpreted."""

    def __init__(self, live_interpreter_check: Callable[[InterpreterKind | None], str]) -> None:
        super().__init__()
        self._check = live_interpreter_check
        self._base_people: list[Any] = []
        self.heading(self.tr("People in the home"),
                     self.tr("Everyone who was there, including visitors and anyone who "
                             "arrived or left during the visit."))
        self.people = RowList(self.tr("Person"), self.tr("Add a &person"), _person_rows)
        self.body.addWidget(self.people)
        form = self.form
        self.body.addWidget(form.row(
            "absent_fathers_or_partners_asked_about",
            self.tr("Did you ask about fathers, partners or other adults who were not there?"),
            YesNo(self.tr("Asked"), self.tr("Not asked")),
        ))
        self.heading(self.tr("Language"))
        self.body.addWidget(form.row("language_of_children",
                                     self.tr("Language the children speak"), TextLine()))
        self.body.addWidget(form.row("language_of_parents",
                                     self.tr("Language the parents speak"), TextLine()))
        self.heading(self.tr("Interpreter"),
                     self.tr("A family member, family friend or child should never interpret: "
                             "they may not pass on what the child says. If one did, or no "
                             "interpreter could be had, say so: the visit still goes to your "
                             "team lead, flagged red."))
        kind = form.row("interpreter.kind", self.tr("Who interpreted?"),
                        Choice(options(InterpreterKind)))
        self.body.addWidget(kind)
        self.body.addWidget(form.row(
            "interpreter.reason_none_available",
            self.tr("Why could no professional interpreter be had?"), TextBox(2)))
        self.body.addWidget(form.row("interpreter.name", self.tr("Interpreter's name or ID"),
                                     TextLine()))
        self.body.addWidget(form.row("interpreter.language", self.tr("Language interpreted"),
                                     TextLine()))
        kind.field.changed.connect(self._interpreter_chosen)
        self._show_interpreter_rows()

    def _show_interpreter_rows(self) -> None:
        kind = self.form.value("interpreter.kind")
        rows = self.form.rows
        reason = rows["interpreter.reason_none_available"]
        reason.setVisible(kind is InterpreterKind.NONE_AVAILABLE or bool(reason.field.value()))
        nobody = kind in (InterpreterKind.NONE_AVAILABLE, InterpreterKind.NOT_NEEDED)
        rows["interpreter.name"].setVisible(not nobody or bool(rows["interpreter.name"]
                                                               .field.value()))
        rows["interpreter.language"].setVisible(kind is not InterpreterKind.NOT_NEEDED)

    def _interpreter_chosen(self) -> None:
        self._show_interpreter_rows()
        kind = self.form.value("interpreter.kind")
        # The records' refusal names family and child interpreters: it is not said of an
        # honest "none available" or "not needed", which are not anyone interpreting.
        message = "" if kind in (InterpreterKind.NONE_AVAILABLE, InterpreterKind.NOT_NEEDED) \
            else self._check(kind)
        spot = self.form.spots["interpreter.kind"]
        if message:
            spot.show_problem(message)
            announce(spot.label, message, assertive=True)  # said at once, not only described
        else:
            spot.clear_problem()

    def load(self, data: dict[str, Any]) -> None:
        self._base_people = list(data.get("people_present") or ())
        self.people.load(self._base_people)
        self.form.load(data)
        self._show_interpreter_rows()

    def collect(self) -> dict[str, Any]:
        values = self.form.collect()
        interpreter = values.pop("interpreter")
        values["interpreter"] = interpreter if any(interpreter.values()) else None
        values["people_present"] = self.people.collect(self._base_people)
        return values

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)
        self.people.set_read_only(read_only)

    def on_change(self, callback: Callable[[], None]) -> None:
        self.form.on_change(callback)
        self.people.changed.connect(callback)

    def spots(self) -> dict[str, ProblemSpot]:
        return {**self.form.spots, **self.people.spots("people_present"),
                "interpreter": self.form.spots["interpreter.kind"]}

