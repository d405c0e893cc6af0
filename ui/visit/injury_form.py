"""One injury on the body map, and the panel listing every injury on one child.

The explanation (who gave it, their exact words) is kept apart from the child's own
account, and whether the injury fits the explanation is asked every time: Daniel Pelka's
injuries were explained away by adults and the explanations accepted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from records.body_regions import mark_agrees, region_at, spot_for
from records.visit import (
    BodyRegion,
    BodySide,
    BodyView,
    Consistency,
    ExplanationSource,
    InjuryColour,
    InjuryObservation,
    InjuryType,
)
from ui.visit.photo_viewer import PhotoSource, PhotoStrip
from ui.widgets.body_map import BodyMap, Mark, marks_for
from ui.widgets.fields import Checks, Choice, Measure, TextBox, TextLine, WhenField, YesNo
from ui.widgets.form import Form, ProblemSpot, problem_label
from ui.widgets.labels import label, options, translate

PhotoAdder = Callable[[UUID, Callable[[UUID], None]], None]
"""Given an injury id and a callback for the new photo's id, attach a photo to it."""


@dataclass(frozen=True)
class InjuryContext:
    """What the injury forms need to know of the child and the worker."""

    ask_mobility: bool
    recorded_by: Callable[[], str]
    add_photo: PhotoAdder | None = None
    """None when policy does not allow photos."""
    photos: PhotoSource | None = None
    """Where attached photos are read from, to show them; None: counted, not shown."""


class InjuryForm(QWidget):
    """The structured fields of one injury."""

    changed = Signal()

    def __init__(self, data: dict[str, Any], context: InjuryContext) -> None:
        super().__init__()
        self.data = data
        self.form = Form()
        f = self.form
        rows = [
            f.row("region", self.tr("Where on the body (from the map; change it if needed)"),
                  Choice(options(BodyRegion)),
                  hint=self.tr("Change the part or the side and the mark moves with it.")),
            f.row("side", self.tr("Side"), Choice(options(BodySide))),
            f.row("injury_type", self.tr("What kind of injury?"), Choice(options(InjuryType))),
            f.row("length_cm", self.tr("Length"), Measure()),
            f.row("width_cm", self.tr("Width"), Measure()),
            f.row("shape", self.tr("Shape"), TextLine()),
            f.row("colours", self.tr("Colours"), Checks(options(InjuryColour), columns=4)),
            f.row("skin_broken", self.tr("Is the skin broken?"),
                  YesNo(self.tr("Skin broken"), self.tr("Not broken"))),
            f.row("swelling", self.tr("Swelling?"), YesNo(self.tr("Swollen"), self.tr("No"))),
            f.row("bleeding", self.tr("Bleeding?"), YesNo(self.tr("Bleeding"), self.tr("No"))),
            f.row("seen_at", self.tr("When you saw it"), WhenField()),
            f.row("recorded_by", self.tr("Recorded by"), TextLine()),
            f.row("explanation_given_by", self.tr("Who explained it?"),
                  Choice(options(ExplanationSource))),
            f.row("explanation_words",
                  self.tr("Their explanation, in the exact words they used"), TextBox(),
                  hint=self.tr("Write what was said, not a summary.")),
            f.row("child_account", self.tr("What the child said about it, in their words"),
                  TextBox(), hint=self.tr("Kept apart from the adults' explanation.")),
            f.row("consistent_with_explanation",
                  self.tr("Does the injury look consistent with the explanation?"),
                  Choice(options(Consistency))),
            f.row("independently_mobile",
                  self.tr("Does the child move around on their own (crawl, cruise, walk)?"),
                  YesNo(self.tr("Mobile"), self.tr("Not mobile"), big=True),
                  hint=self.tr("Any bruise on a child who is not mobile needs action today.")),
            f.row("manager_informed", self.tr("Have you told your manager?"),
                  YesNo(self.tr("Told"), self.tr("Not yet"))),
            f.row("medical_referral", self.tr("Referred for a medical assessment?"),
                  YesNo(self.tr("Referred"), self.tr("Not referred"))),
        ]
        self.mismatch = problem_label()
        self.mismatch.setAccessibleDescription(self.tr("Mark and words disagree"))
        layout = QVBoxLayout(self)
        for row in rows:
            layout.addWidget(row)
            if row is f.rows["side"]:
                layout.addWidget(self.mismatch)
        f.rows["independently_mobile"].setVisible(context.ask_mobility)
        self.photos = QLabel()
        layout.addWidget(self.photos)
        self.photo_strip = PhotoStrip(context.photos) if context.photos is not None else None
        if self.photo_strip is not None:
            layout.addWidget(self.photo_strip)
        self.add_photo = QPushButton(self.tr("Attach a &photo from a file…"))
        self.add_photo.setAutoDefault(False)
        self.add_photo.setVisible(context.add_photo is not None)
        layout.addWidget(self.add_photo)
        if context.add_photo is not None:
            adder = context.add_photo
            self.add_photo.clicked.connect(
                lambda: adder(UUID(str(self.data["id"])), self._photo_added))
        f.load(data)
        self._show_mismatch()
        self._show_photos()
        # Before on_change: the map is redrawn from `data`, which must hold the moved mark.
        for key in ("region", "side"):
            f.rows[key].field.changed.connect(self._words_changed)
        f.on_change(self.changed.emit)

    def _words_changed(self) -> None:
        """The worker named another part or side: the mark goes there, so the picture and
        the words of the record always say the same place."""
        view, region, side = self.data.get("view"), self.form.value("region"), \
            self.form.value("side")
        if (isinstance(view, BodyView) and isinstance(region, BodyRegion)
                and isinstance(side, BodySide) and not self._agrees()):
            moved = spot_for(region, side, view)
            if moved is not None:
                self.data["view"], self.data["x"], self.data["y"] = moved
        self._show_mismatch()

    def _agrees(self) -> bool:
        view, x, y = self.data.get("view"), self.data.get("x"), self.data.get("y")
        region, side = self.form.value("region"), self.form.value("side")
        if not (isinstance(view, BodyView) and x is not None and y is not None
                and isinstance(region, BodyRegion) and isinstance(side, BodySide)):
            return True
        return mark_agrees(view, x, y, region, side)

    def _show_mismatch(self) -> None:
        """Say so when the mark and the words name different places (a part the body has
        no such side of, or a record made before marks followed their words)."""
        agrees = self._agrees()
        self.mismatch.setVisible(not agrees)
        if agrees:
            self.mismatch.clear()
            return
        drawn = region_at(self.data["view"], self.data["x"], self.data["y"])
        where = (" ".join(label(v) for v in (drawn[1], drawn[0])).lower() if drawn
                 else self.tr("off the outline"))
        named = " ".join(label(v) for v in (self.form.value("side"), self.form.value("region")))
        self.mismatch.setText(self.tr(
            "The mark on the body map is on the {where}, but this says {named}. Choose the "
            "part and side where you saw it; the mark moves there.").format(
                where=where, named=named.lower()))

    def _photo_added(self, photo_id: UUID) -> None:
        self.data["photo_ids"] = (*self.data.get("photo_ids", ()), photo_id)
        self._show_photos()
        self.changed.emit()

    def _show_photos(self) -> None:
        photo_ids = [UUID(str(p)) for p in self.data.get("photo_ids") or ()]
        count = len(photo_ids)
        self.photos.setText(self.tr("Photos attached: {n}").format(n=count) if count else "")
        if self.photo_strip is not None:
            self.photo_strip.show_photos(photo_ids)

    def collect(self) -> dict[str, Any]:
        return {**self.data, **self.form.collect()}

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)
        self.add_photo.setEnabled(not read_only)


def on_the_map(injury: dict[str, Any]) -> bool:
    return bool(injury.get("view")) and injury.get("x") is not None \
        and injury.get("y") is not None


def describe(injury: dict[str, Any], number: int, *, say_off_map: bool = True) -> str:
    kind = label(injury["injury_type"]) if injury.get("injury_type") else \
        translate("InjuriesPanel", "Injury")
    where = " ".join(label(injury[k]) for k in ("side", "region") if injury.get(k))
    text = f"{number}. {kind}" + (f" — {where.lower()}" if where else "")
    if say_off_map and not on_the_map(injury):
        text += translate("InjuriesPanel", " (not on the map)")
    return text


class InjuriesPanel(QWidget):
    """The body map beside the list of injuries and the form of the one selected."""

    changed = Signal()

    def __init__(self, context: InjuryContext, earlier: list[InjuryObservation]) -> None:
        super().__init__()
        self.context = context
        self.forms: list[InjuryForm] = []
        self.read_only = False
        self.map = BodyMap()
        self.map.show_marks([], marks_for(earlier, earlier=True))
        self.map.placed.connect(self.place)
        self.map.chosen.connect(self._select_id)
        how = self.tr("Click on the body where you saw an injury, or from the keyboard: Tab "
                      "to the map, arrow keys move the cross-hair (Shift+arrow for small "
                      "steps), V turns to the back or front, Enter marks the injury.")
        earlier_note = QLabel(
            how + " " + self.tr("Faded dashed circles: injuries recorded at earlier visits "
                                "({n}).").format(n=len(self.map.earlier))
            if self.map.earlier else how)
        earlier_note.setWordWrap(True)
        self.hint = earlier_note
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Injuries on this child"))
        self.list.setMaximumHeight(110)
        self.list.currentRowChanged.connect(self._show)
        self.add_button = QPushButton(self.tr("Add an injury &without a position"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.place(None, None, None))
        self.remove_button = QPushButton(self.tr("Re&move the selected injury"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._remove_selected)
        self.problem = problem_label()
        self.stack = QStackedWidget()
        self.empty = QLabel(self.tr("No injuries marked on this child."))
        self.stack.addWidget(self.empty)
        self.stack.currentChanged.connect(lambda index: self.list.setCurrentRow(index - 1))
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes into the form, not its frame
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        left = QVBoxLayout()
        left.addWidget(self.map, 1)
        left.addWidget(earlier_note)
        right = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        right.addWidget(self.list)
        right.addLayout(buttons)
        right.addWidget(self.problem)
        right.addWidget(scroll, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

    def place(self, view: BodyView | None, x: Decimal | None, y: Decimal | None) -> InjuryForm:
        """A new injury at a spot on the map (or without one), its form ready to fill in."""
        found = region_at(view, x, y) if view and x is not None and y is not None else None
        data: dict[str, Any] = {
            "id": uuid.uuid4(), "view": view, "x": x, "y": y,
            "region": found[0] if found else None, "side": found[1] if found else None,
            "seen_at": datetime.now(UTC).replace(second=0, microsecond=0),
            "recorded_by": self.context.recorded_by(),
        }
        form = self._add_form(data)
        self.list.setCurrentRow(len(self.forms) - 1)
        form.form.rows["injury_type"].field.setFocus()
        self.changed.emit()
        return form

    def _add_form(self, data: dict[str, Any]) -> InjuryForm:
        form = InjuryForm(data, self.context)
        form.set_read_only(self.read_only)
        form.changed.connect(self._refresh)
        form.changed.connect(self.changed.emit)
        self.forms.append(form)
        self.stack.addWidget(form)
        self.list.addItem(QListWidgetItem())
        self._refresh()
        return form

    def _refresh(self) -> None:
        injuries = [f.collect() for f in self.forms]
        for number, injury in enumerate(injuries):
            self.list.item(number).setText(describe(injury, number + 1))
        self.map.show_marks([
            Mark(i["id"], i["view"], i["x"], i["y"], n,
                 what=label(i["injury_type"]) if i.get("injury_type") else "")
            for n, i in enumerate(injuries, start=1) if on_the_map(i)
        ], off_map=[describe(i, n, say_off_map=False) for n, i in enumerate(injuries, start=1)
                    if not on_the_map(i)])
        self.remove_button.setEnabled(bool(self.forms) and not self.read_only)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.forms):
            self.stack.setCurrentWidget(self.forms[row])
            self.map.select(UUID(str(self.forms[row].data["id"])))
        else:
            self.stack.setCurrentWidget(self.empty)
            self.map.select(None)

    def _select_id(self, injury_id: UUID) -> None:
        for row, form in enumerate(self.forms):
            if form.data["id"] == injury_id:
                self.list.setCurrentRow(row)

    def _remove_selected(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.forms):
            return
        form = self.forms.pop(row)
        self.list.takeItem(row)
        self.stack.removeWidget(form)
        form.deleteLater()
        self._refresh()
        self._show(self.list.currentRow())
        self.changed.emit()

    def load(self, injuries: list[dict[str, Any]]) -> None:
        for form in self.forms:
            self.stack.removeWidget(form)
            form.deleteLater()
        self.forms = []
        self.list.clear()
        for injury in injuries:
            self._add_form(dict(injury))
        self.list.setCurrentRow(0 if self.forms else -1)
        self._show(self.list.currentRow())

    def collect(self) -> list[dict[str, Any]]:
        return [form.collect() for form in self.forms]

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.map.read_only = read_only
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        for form in self.forms:
            form.set_read_only(read_only)

    def spots(self, prefix: str) -> dict[str, ProblemSpot]:
        found = {prefix: ProblemSpot(self.problem, self.map)}
        for number, form in enumerate(self.forms):
            for name, spot in form.form.spots.items():
                found[f"{prefix}.{number}.{name}"] = spot
            found[f"{prefix}.{number}"] = form.form.spots["injury_type"]
        return found
