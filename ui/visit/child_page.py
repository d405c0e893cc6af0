"""One child's page of a visit (section C), with their body map (section D).

Seen, seen alone, spoken to alone and bedroom seen are the big questions: each is a pair
of large buttons, and answering "no" opens the box for the reason, which records/
requires before the visit can be submitted. The essential questions come first (seen,
alone, where the child sleeps, the child's words, food, injuries); what the worker saw and
the child's wishes follow.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from records.case import Child
from records.case_notes import AgencyNotification
from records.flag_types import day_text
from records.validation import BABY_MONTHS, NON_MOBILE_CHECK_MONTHS
from records.visit import CommunicationMethod, FoodConcern, InjuryObservation
from ui.visit.injury_form import InjuriesPanel, InjuryContext, PhotoAdder
from ui.visit.photo_viewer import PhotoSource
from ui.widgets.fields import Checks, Choice, Field, TextBox, YesNo
from ui.widgets.form import FieldRow, ProblemSpot
from ui.widgets.labels import label, options
from ui.widgets.page import Page


class NotificationChecks(Field):
    """One tick box per notification from another agency: discussed with the child alone at
    this visit. One Tab stop; the arrow keys move between the boxes, Space ticks."""

    def __init__(self, notifications: list[AgencyNotification]) -> None:
        super().__init__()
        self.boxes: list[tuple[UUID, QCheckBox]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for number, note in enumerate(notifications):
            box = QCheckBox(f"{note.kind.label} from {note.source}, received "
                            f"{day_text(note.received_on)}")
            box.setAccessibleDescription(note.summary)
            summary = QLabel(note.summary)  # wrapped under its box: a tick box cannot wrap
            summary.setWordWrap(True)
            summary.setContentsMargins(24, 0, 0, 6)
            if number:
                box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            box.toggled.connect(lambda *_: self.changed.emit())
            layout.addWidget(box)
            layout.addWidget(summary)
            self.boxes.append((note.id, box))
        if self.boxes:
            self.setFocusProxy(self.boxes[0][1])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        steps = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
        step = steps.get(Qt.Key(event.key()))
        focused = [box for _, box in self.boxes if box.hasFocus()]
        if step is None or not focused:
            super().keyPressEvent(event)
            return
        boxes = [box for _, box in self.boxes]
        boxes[(boxes.index(focused[0]) + step) % len(boxes)].setFocus(
            Qt.FocusReason.TabFocusReason)

    def value(self) -> tuple[UUID, ...]:
        return tuple(note_id for note_id, box in self.boxes if box.isChecked())

    def set_value(self, value: Any) -> None:
        chosen = {str(v) for v in value or ()}
        for note_id, box in self.boxes:
            box.setChecked(str(note_id) in chosen)

    def set_read_only(self, read_only: bool) -> None:
        for _, box in self.boxes:
            box.setEnabled(not read_only)


class SeenAndHeard(Page):
    def __init__(self, child: Child, on: date,
                 notifications: list[AgencyNotification] | None = None) -> None:
        super().__init__()
        name = child.given_name
        months = child.age_in_months(on)
        age = (self.tr("{years} years {months} months").format(years=months // 12,
                                                             months=months % 12)
               if months is not None else self.tr("date of birth not recorded"))
        self.heading(child.display_name, f"{label(child.plan_type)} · {age}")
        form = self.form
        add = self.body.addWidget

        def big(key: str, question: str, yes: str, no: str) -> FieldRow:
            row = form.row(key, question, YesNo(yes, no, big=True))
            font = row.question.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
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
        if notifications:
            self.heading(
                self.tr("What other agencies told us"),
                self.tr("Tick each one you discussed with {name} alone at this visit. Until "
                        "then it stays flagged for your team lead.").format(name=name))
            add(form.row("notifications_followed_up",
                         self.tr("Discussed with {name} alone").format(name=name),
                         NotificationChecks(notifications)))
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
        self.heading(self.tr("{name}'s voice").format(name=name),
                     self.tr("Write what {name} said, exactly as they said it. Not a summary, "
                             "and not what an adult said for them.").format(name=name))
        add(form.row("child_words", self.tr("{name}'s own words").format(name=name), TextBox(5)))
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
        self.injury_note = QLabel(self.tr("Mark each injury on the Body map tab."))
        add(self.injury_note)
        self.heading(self.tr("What you saw"))
        add(form.row("demeanour", self.tr("How did {name} seem?").format(name=name), TextBox()))
        add(form.row("clothing_and_hygiene", self.tr("Clothing and hygiene"), TextBox()))
        add(form.row("interaction_with_carers",
                     self.tr("How did {name} and the adults behave with each other?").format(
                         name=name), TextBox()))
        add(form.row("wishes_and_feelings",
                     self.tr("{name}'s wishes and feelings").format(name=name), TextBox()))
        form.on_change(self._update_visibility)
        self._update_visibility()

    def _update_visibility(self) -> None:
        for question, row in self.reason_rows:
            row.setVisible(self.form.value(question) is False or bool(row.field.value()))
        bedroom = self.form.value("bedroom_seen") is True
        for row in self.bedroom_rows:
            row.setVisible(bedroom)
        concern = self.form.value("food_concern")
        self.form.rows["food_concern_details"].setVisible(
            concern in (FoodConcern.POSSIBLE, FoodConcern.CLEAR))
        self.injury_note.setVisible(self.form.value("injuries_seen") is True)


class _Slot(QWidget):
    """Where a part of the page goes once it is built."""

    def __init__(self) -> None:
        super().__init__()
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)


class ChildPage(QTabWidget):
    """Everything about one child at this visit: what was seen and heard, and the body map.

    Built when first shown (or first asked for): an editor for three children would
    otherwise build six forms and three body maps before the worker sees the first tab.
    Until then the child's record is kept as loaded and handed back unchanged."""

    def __init__(self, child: Child, on: date, earlier: list[InjuryObservation],
                 recorded_by: Callable[[], str],
                 add_photo: PhotoAdder | None = None,
                 photos: PhotoSource | None = None,
                 notifications: list[AgencyNotification] | None = None) -> None:
        super().__init__()
        self.child = child
        self._notifications = notifications or []
        self._on = on
        months = child.age_in_months(on)
        self._context = InjuryContext(
            ask_mobility=months is None or months < NON_MOBILE_CHECK_MONTHS,
            recorded_by=recorded_by, add_photo=add_photo, photos=photos)
        self._earlier = earlier
        self._seen: SeenAndHeard | None = None
        self._injuries: InjuriesPanel | None = None
        self._seen_slot = _Slot()
        self._map_slot = _Slot()
        self.addTab(self._seen_slot, self.tr("Seen and &heard"))
        self.addTab(self._map_slot, self.tr("&Body map"))
        self._base: dict[str, Any] = {}
        self._read_only = False
        self._listeners: list[Callable[[], None]] = []
        self.currentChanged.connect(self._build_shown)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self._build_shown()
        super().showEvent(event)

    def _build_shown(self, _: int = 0) -> None:
        if self.currentIndex() == 0:
            self.seen  # noqa: B018 - built on first use
        else:
            self.injuries  # noqa: B018

    @property
    def built(self) -> bool:
        return self._seen is not None or self._injuries is not None

    @property
    def seen(self) -> SeenAndHeard:
        if self._seen is None:
            seen = SeenAndHeard(self.child, self._on, self._notifications)
            seen.form.load(self._base)
            seen._update_visibility()
            seen.form.set_read_only(self._read_only)
            for listener in self._listeners:
                seen.form.on_change(listener)
            self._seen = seen
            self._seen_slot.box.addWidget(seen)
            seen.show()  # now, not at the next event loop turn: focus may go there at once
        return self._seen

    @property
    def injuries(self) -> InjuriesPanel:
        if self._injuries is None:
            panel = InjuriesPanel(self._context, self._earlier)
            panel.load(list(self._base.get("injuries") or ()))
            panel.set_read_only(self._read_only)
            panel.changed.connect(self._count_injuries)
            for listener in self._listeners:
                panel.changed.connect(listener)
            self._injuries = panel
            self._map_slot.box.addWidget(panel)
            panel.show()
        return self._injuries

    def _count_injuries(self) -> None:
        count = (len(self._injuries.forms) if self._injuries is not None
                 else len(self._base.get("injuries") or ()))
        self.setTabText(1, self.tr("&Body map ({n})").format(n=count) if count
                        else self.tr("&Body map"))

    def load(self, observation: dict[str, Any]) -> None:
        self._base = observation
        if self._seen is not None:
            self._seen.form.load(observation)
            self._seen._update_visibility()
        if self._injuries is not None:
            self._injuries.load(list(observation.get("injuries") or ()))
        self._count_injuries()

    def collect(self) -> dict[str, Any]:
        collected = dict(self._base)
        if self._seen is not None:
            collected.update(self._seen.form.collect())
        if self._injuries is not None:
            collected["injuries"] = self._injuries.collect()
        return collected

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if self._seen is not None:
            self._seen.form.set_read_only(read_only)
        if self._injuries is not None:
            self._injuries.set_read_only(read_only)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)
        if self._seen is not None:
            self._seen.form.on_change(callback)
        if self._injuries is not None:
            self._injuries.changed.connect(callback)

    def spots(self, prefix: str) -> dict[str, ProblemSpot]:
        found = {f"{prefix}.{name}": spot for name, spot in self.seen.form.spots.items()}
        found.update(self.injuries.spots(f"{prefix}.injuries"))
        found[prefix] = self.seen.form.spots["seen"]
        return found
