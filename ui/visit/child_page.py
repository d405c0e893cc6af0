"""One child's page of a visit (section C), with their body map (section D).

The essential questions (seen, alone, where the child sleeps, the child's words, food,
injuries) are asked on the visit's first page (ui/visit/essentials.py); this page holds
the notifications to discuss, what the worker saw and the child's wishes and feelings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from records.case import Child
from records.case_notes import AgencyNotification
from records.flag_types import day_text
from records.validation import NON_MOBILE_CHECK_MONTHS
from records.visit import InjuryObservation
from ui.visit.essentials import ChildEssentials
from ui.visit.injury_form import InjuriesPanel, InjuryContext, PhotoAdder
from ui.visit.photo_viewer import PhotoSource
from ui.widgets.fields import Field, TextBox, TickBox
from ui.widgets.form import ProblemSpot
from ui.widgets.labels import age_words, label
from ui.widgets.page import Page


class NotificationChecks(Field):
    """One tick box per notification from another agency: discussed with the child alone at
    this visit. One Tab stop; the arrow keys move between the boxes, Space ticks. On a
    submitted visit the boxes stay enabled, so Tab and the arrows still reach and read them,
    but a tick no longer changes (like every other submitted answer)."""

    def __init__(self, notifications: list[AgencyNotification]) -> None:
        super().__init__()
        self.boxes: list[tuple[UUID, QCheckBox]] = []
        self.read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for number, note in enumerate(notifications):
            box = TickBox(f"{note.kind.label} from {note.source}, received "
                          f"{day_text(note.received_on)}", self)
            said = f"{note.reports_said}. {note.summary}" if note.reports_said else note.summary
            box.setAccessibleDescription(said)
            summary = QLabel(said)  # wrapped under its box: a tick box cannot wrap
            summary.setWordWrap(True)
            summary.setContentsMargins(24, 0, 0, 6)
            if number:
                box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
                box.setProperty("reached_by", "arrow keys from the first box")
            box.toggled.connect(lambda *_: self.changed.emit())
            layout.addWidget(box)
            layout.addWidget(summary)
            self.boxes.append((note.id, box))
        if self.boxes:
            self.setFocusProxy(self.boxes[0][1])

    def value(self) -> tuple[UUID, ...]:
        return tuple(note_id for note_id, box in self.boxes if box.isChecked())

    def set_value(self, value: Any) -> None:
        chosen = {str(v) for v in value or ()}
        for note_id, box in self.boxes:
            box.setChecked(str(note_id) in chosen)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # the boxes stay enabled: Tab and arrows still read them


class SeenAndHeard(Page):
    def __init__(self, child: Child, on: date,
                 notifications: list[AgencyNotification] | None = None) -> None:
        super().__init__()
        name = child.given_name
        age = age_words(child.age_in_months(on))
        self.heading(child.display_name, f"{label(child.plan_type)} · {age}")
        form = self.form
        add = self.body.addWidget

        if notifications:
            self.heading(
                self.tr("What other agencies told us"),
                self.tr("Tick each one you discussed with {name} alone at this visit. Until "
                        "then it stays flagged for your team lead.").format(name=name))
            add(form.row("notifications_followed_up",
                         self.tr("Discussed with {name} alone").format(name=name),
                         NotificationChecks(notifications)))
        self.heading(self.tr("What you saw"))
        add(form.row("demeanour", self.tr("How did {name} seem?").format(name=name), TextBox()))
        add(form.row("clothing_and_hygiene", self.tr("Clothing and hygiene"), TextBox()))
        add(form.row("interaction_with_carers",
                     self.tr("How did {name} and the adults behave with each other?").format(
                         name=name), TextBox()))
        add(form.row("wishes_and_feelings",
                     self.tr("{name}'s wishes and feelings").format(name=name), TextBox()))


class _Slot(QWidget):
    """Where a part of the page goes once it is built."""

    def __init__(self) -> None:
        super().__init__()
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)


class ChildPage(QTabWidget):
    """Everything about one child at this visit.

    The essential questions (ChildEssentials) are built with the page and placed by the
    editor on its first page. What the worker saw and the body map stay on the child's own
    tab, built when first shown (or first asked for): an editor for three children would
    otherwise build three more forms and three body maps before the worker sees the first
    tab. Until then their part of the record is kept as loaded and handed back unchanged."""

    body_map_wanted = Signal()

    def __init__(self, child: Child, on: date, earlier: list[InjuryObservation],
                 recorded_by: Callable[[], str],
                 add_photo: PhotoAdder | None = None,
                 photos: PhotoSource | None = None,
                 notifications: list[AgencyNotification] | None = None) -> None:
        super().__init__()
        self.child = child
        self.setAccessibleName(self.tr("{name}'s pages").format(name=child.given_name))
        self._notifications = notifications or []
        self._on = on
        months = child.age_in_months(on)
        self._context = InjuryContext(
            ask_mobility=months is None or months < NON_MOBILE_CHECK_MONTHS,
            recorded_by=recorded_by, add_photo=add_photo, photos=photos)
        self._earlier = earlier
        self.essentials = ChildEssentials(child, on, self.body_map_wanted.emit)
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

    def show_body_map(self) -> None:
        """The body map tab, current, with focus on the map."""
        self.setCurrentIndex(1)
        self.injuries.map.setFocus(Qt.FocusReason.OtherFocusReason)

    def _count_injuries(self) -> None:
        count = (len(self._injuries.forms) if self._injuries is not None
                 else len(self._base.get("injuries") or ()))
        self.setTabText(1, self.tr("&Body map ({n})").format(n=count) if count
                        else self.tr("&Body map"))
        self.essentials.show_injury_count(count)

    def load(self, observation: dict[str, Any]) -> None:
        self._base = observation
        self.essentials.form.load(observation)
        self.essentials.update_visibility()
        if self._seen is not None:
            self._seen.form.load(observation)
        if self._injuries is not None:
            self._injuries.load(list(observation.get("injuries") or ()))
        self._count_injuries()

    def collect(self) -> dict[str, Any]:
        collected = dict(self._base)
        collected.update(self.essentials.form.collect())
        if self._seen is not None:
            collected.update(self._seen.form.collect())
        if self._injuries is not None:
            collected["injuries"] = self._injuries.collect()
        return collected

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.essentials.form.set_read_only(read_only)
        if self._seen is not None:
            self._seen.form.set_read_only(read_only)
        if self._injuries is not None:
            self._injuries.set_read_only(read_only)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)
        self.essentials.form.on_change(callback)
        if self._seen is not None:
            self._seen.form.on_change(callback)
        if self._injuries is not None:
            self._injuries.changed.connect(callback)

    def spots(self, prefix: str) -> dict[str, ProblemSpot]:
        found = {f"{prefix}.{name}": spot for name, spot in self.seen.form.spots.items()}
        found.update({f"{prefix}.{name}": spot
                      for name, spot in self.essentials.form.spots.items()})
        found.update(self.injuries.spots(f"{prefix}.injuries"))
        found[prefix] = self.essentials.form.spots["seen"]
        return found
