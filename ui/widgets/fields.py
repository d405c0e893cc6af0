"""The inputs a visit is written with, each holding one value of the record.

Every field has the same small surface: `value()`, `set_value()`, `changed`, and
`set_read_only()`, so a form can load a record into widgets and read it back without
knowing which widget is which. Values are the record's own types (enums, Decimals,
aware datetimes, None for "not answered").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from ui.widgets.accessibility import QUESTION, RADIO, install
from ui.widgets.date_entry import DateBox
from ui.widgets.theme import show_in_alert_colour

SHORT_TEXT_LIMIT = 500
NOT_SET = "—"


class Field(QWidget):
    """One value of the record, shown and edited by one or more Qt inputs."""

    changed = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def set_accessible_name(self, name: str) -> None:
        proxy = self.focusProxy()
        (proxy or self).setAccessibleName(name)


def _tight(layout: QHBoxLayout | QGridLayout) -> None:
    layout.setContentsMargins(0, 0, 0, 0)


class TextLine(Field):
    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setMaxLength(SHORT_TEXT_LIMIT)
        self.edit.textChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        _tight(layout)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText(str(value or ""))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class TextBox(Field):
    """Several lines of free text; Tab moves on, as a keyboard user expects."""

    def __init__(self, lines: int = 3) -> None:
        super().__init__()
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        height = self.edit.fontMetrics().lineSpacing() * lines + 12
        self.edit.setMinimumHeight(height)
        self.edit.setMaximumHeight(height * 2)
        self.edit.textChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        _tight(layout)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        if self.edit.toPlainText() != (value or ""):
            self.edit.setPlainText(str(value or ""))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class AnswerButton(QPushButton):
    """One answer of a yes/no question. A stray Space records nothing: Enter, or the
    question's Y / N keys, answer it; Left / Right move to the other answer unchanged."""

    def __init__(self, text: str, question: YesNo) -> None:
        super().__init__(text)
        self.question = question
        self.setProperty(RADIO, True)  # read out as a radio button of its question
        self.setProperty("answerable", True)
        install()

    # complexity: the keyboard contract of a yes/no answer, one branch per key
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                         | Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_Space and plain:
            event.accept()  # deliberately nothing: a space typed on the way is not an answer
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            if self.isEnabled() and self.question.answerable:
                self.question.choose(self)
            return
        if key in (Qt.Key.Key_Y, Qt.Key.Key_N) and plain:
            if self.question.answerable:
                chosen = self.question.yes if key == Qt.Key.Key_Y else self.question.no
                self.question.choose(chosen)
                # Focus on the answer given: read out as chosen, and the pair's Tab stop.
                chosen.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down) and plain:
            other = self.question.no if self is self.question.yes else self.question.yes
            if other.isEnabled():
                other.setFocus(Qt.FocusReason.TabFocusReason)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space:
            event.accept()  # the button would click on the release of a space
            return
        super().keyReleaseEvent(event)


class YesNo(Field):
    """A question answered with two big buttons; unanswered until one is chosen.

    One Tab stop per question (the answer given, else the first); Y or N answers it from
    either button, as does Enter on the focused one; a mouse click does as ever."""

    def __init__(self, yes: str, no: str, *, big: bool = False) -> None:
        super().__init__()
        self.yes = AnswerButton(yes, self)
        self.no = AnswerButton(no, self)
        self.answerable = True
        layout = QHBoxLayout(self)
        _tight(layout)
        for button in (self.yes, self.no):
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, b=button: self.choose(b))
            layout.addWidget(button)
            if big:
                button.setMinimumHeight(44)
                font = QFont(button.font())
                font.setPointSizeF(font.pointSizeF() * 1.2)
                font.setBold(True)
                button.setFont(font)
        layout.addStretch(1)
        self._labels: dict[QAbstractButton, str] = {self.yes: yes, self.no: no}
        self._answer: bool | None = None
        self._show()
        self.setFocusProxy(self.yes)

    def choose(self, button: QAbstractButton) -> None:
        if not self.answerable:
            self._show()  # a click on a submitted answer changes nothing, not even the shading
            return
        self._set(button is self.yes)

    def _set(self, answer: bool | None) -> None:
        changed = answer != self._answer
        self._answer = answer
        self._show()
        if changed:
            self.changed.emit()

    def _show(self) -> None:
        for button, means in ((self.yes, True), (self.no, False)):
            checked = self._answer is means
            button.setChecked(checked)
            # The answer shows by a tick as well as by shading: plain in high contrast too.
            button.setText(("✓ " if checked else "") + self._labels[button])
        stop = self.no if self._answer is False else self.yes
        other = self.yes if stop is self.no else self.no
        stop.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        other.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        if self.focusProxy() is not stop:
            self.setFocusProxy(stop)

    def value(self) -> bool | None:
        return self._answer

    def set_value(self, value: Any) -> None:
        self._set(None if value is None else bool(value))

    def set_read_only(self, read_only: bool) -> None:
        # Both answers stay enabled, so Tab and the arrow keys still reach and read them.
        self.answerable = not read_only
        for button in (self.yes, self.no):
            button.setProperty("answerable", not read_only)
        self._show()

    def set_accessible_name(self, name: str) -> None:
        keys = self.tr("Y: {yes}, N: {no}, or Enter on the answer").format(
            yes=self._labels[self.yes], no=self._labels[self.no])
        for button in (self.yes, self.no):
            button.setAccessibleName(f"{name}: {self._labels[button]}")
            button.setAccessibleDescription(keys)
            button.setToolTip(keys)


class Choice(Field):
    """One of an enum's members, or not chosen yet."""

    def __init__(self, options: Sequence[tuple[StrEnum, str]]) -> None:
        super().__init__()
        self.combo = QComboBox()
        self.combo.setProperty(QUESTION, True)  # read by its question, its choice the value
        install()
        self.combo.addItem(self.tr("— choose —"), None)
        for member, label in options:
            self.combo.addItem(label, member.value)
        self._type = type(options[0][0]) if options else None
        self.combo.currentIndexChanged.connect(lambda *_: self.changed.emit())
        layout = QHBoxLayout(self)
        _tight(layout)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)

    def value(self) -> StrEnum | None:
        raw = self.combo.currentData()
        return None if raw is None or self._type is None else self._type(raw)

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value.value if isinstance(value, StrEnum) else value)
        self.combo.setCurrentIndex(max(index, 0))

    def set_read_only(self, read_only: bool) -> None:
        # Enabled, so Tab reaches it and its answer is read; the other choices are greyed
        # and the arrow keys skip them, so the answer cannot change.
        model = self.combo.model()
        current = self.combo.currentIndex()
        if isinstance(model, QStandardItemModel):
            for row in range(model.rowCount()):
                item = model.item(row)
                if item is not None:
                    item.setEnabled(not read_only or row == current)


class _Boxes(Protocol):
    boxes: list[tuple[Any, QCheckBox]]
    read_only: bool


class TickBox(QCheckBox):
    """One box of a row of tick boxes (a `Checks`, the notifications to discuss): the arrow
    keys move to the box before or after it; once its owner is read-only a tick is read,
    never changed."""

    def __init__(self, text: str, owner: _Boxes) -> None:
        super().__init__(text)
        self.owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1,
                 Qt.Key.Key_Down: 1}
        step = steps.get(Qt.Key(event.key()))
        if step is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        boxes = [box for _, box in self.owner.boxes]
        boxes[(boxes.index(self) + step) % len(boxes)].setFocus(Qt.FocusReason.TabFocusReason)

    def nextCheckState(self) -> None:  # noqa: N802
        if not self.owner.read_only:  # a submitted tick is read, never changed
            super().nextCheckState()


class Checks(Field):
    """Any number of an enum's members, as a row of tick boxes: one Tab stop, the arrow
    keys move between the boxes and Space ticks (seven Tab stops had been seven presses)."""

    def __init__(self, options: Sequence[tuple[StrEnum, str]], columns: int = 3) -> None:
        super().__init__()
        self.boxes: list[tuple[StrEnum, QCheckBox]] = []
        self.read_only = False
        layout = QGridLayout(self)
        _tight(layout)
        for number, (member, label) in enumerate(options):
            box = TickBox(label, self)
            if number:
                box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
                box.setProperty("reached_by", "arrow keys from the first box")
            box.toggled.connect(lambda *_: self.changed.emit())
            layout.addWidget(box, number // columns, number % columns)
            self.boxes.append((member, box))
        if self.boxes:
            self.setFocusProxy(self.boxes[0][1])

    def value(self) -> tuple[StrEnum, ...]:
        return tuple(member for member, box in self.boxes if box.isChecked())

    def set_value(self, value: Any) -> None:
        chosen = set(value or ())
        for member, box in self.boxes:
            box.setChecked(member in chosen)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # the boxes stay enabled: Tab and arrows still read them

    def set_accessible_name(self, name: str) -> None:
        for _, box in self.boxes:
            box.setAccessibleName(f"{name}: {box.text()}")


class _DateRow(Field):
    """A typed date box and, beside it, what it understood (or that it is not a date)."""

    def __init__(self, *, with_time: bool) -> None:
        super().__init__()
        self.edit = DateBox(with_time=with_time)
        self.edit.committed.connect(self._committed)
        self.note = QLabel()
        self.note.setObjectName("problem")
        show_in_alert_colour(self.note)
        self.note.setVisible(False)
        self.note.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.note.setText(self.tr("Not a date: try 11/12/2026, 11 Dec 2026, t or +7"))
        self.note.setMinimumWidth(self.note.sizeHint().width())
        retain = self.note.sizePolicy()
        retain.setRetainSizeWhenHidden(True)  # saying "not a date" never moves anything
        self.note.setSizePolicy(retain)
        self.layout_ = QHBoxLayout(self)
        _tight(self.layout_)
        self.layout_.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def _committed(self) -> None:
        self.note.setVisible(not self.edit.understood())
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def set_accessible_name(self, name: str) -> None:
        self.edit.setAccessibleName(name)
        self.edit.setAccessibleDescription(self.tr(
            "Type a date such as 11/12/2026 or 11 Dec 2026; t for today, +7 for a week from "
            "today; Up and Down change the day; Alt+Down or F4 opens a calendar."))


class WhenField(_DateRow):
    """A date and time, shown in the laptop's local time and held in UTC."""

    def __init__(self) -> None:
        super().__init__(with_time=True)
        self.now = QPushButton(self.tr("Now"))
        self.now.setAutoDefault(False)
        # Not a Tab stop of its own: "n" typed in the box is the same, one key.
        self.now.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.now.setProperty("reached_by", "n typed in the date box")
        self.now.clicked.connect(self.set_now)
        self.layout_.addWidget(self.now)
        self.layout_.addWidget(self.note)
        self.layout_.addStretch(1)

    def set_now(self) -> None:
        self.set_value(datetime.now(UTC).replace(second=0, microsecond=0))
        self.changed.emit()

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.now.setAccessibleName(f"{name}: {self.now.text()}")

    def value(self) -> datetime | None:
        local = self.edit.value()
        return None if local is None else local.astimezone(UTC)

    def set_value(self, value: Any) -> None:
        self.edit.set_value(None if value is None else
                            value.astimezone().replace(tzinfo=None, second=0, microsecond=0))
        self.note.setVisible(False)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.now.setVisible(not read_only)


class DayField(_DateRow):
    """A calendar day, or not set."""

    def __init__(self) -> None:
        super().__init__(with_time=False)
        self.layout_.addWidget(self.note)
        self.layout_.addStretch(1)

    def value(self) -> date | None:
        chosen = self.edit.value()
        return None if chosen is None else chosen.date()

    def set_value(self, value: Any) -> None:
        self.edit.set_value(None if value is None else datetime.combine(value, time()))
        self.note.setVisible(False)


class Measure(Field):
    """A size in centimetres to a millimetre, or not measured."""

    def __init__(self, suffix: str = " cm", maximum: float = 200.0) -> None:
        super().__init__()
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(1)
        self.spin.setRange(-0.1, maximum)
        self.spin.setSingleStep(0.5)
        self.spin.setSpecialValueText(NOT_SET)
        self.spin.setSuffix(suffix)
        self.spin.setValue(-0.1)
        self.spin.valueChanged.connect(lambda *_: self.changed.emit())
        layout = QHBoxLayout(self)
        _tight(layout)
        layout.addWidget(self.spin)
        layout.addStretch(1)
        self.setFocusProxy(self.spin)

    def value(self) -> Decimal | None:
        if self.spin.value() < 0:
            return None
        return Decimal(f"{self.spin.value():.1f}")

    def set_value(self, value: Any) -> None:
        self.spin.setValue(float(value) if value is not None else -0.1)

    def set_read_only(self, read_only: bool) -> None:
        self.spin.setReadOnly(read_only)


class Score(Field):
    """A whole-number score in a range, or not scored."""

    def __init__(self, low: int, high: int) -> None:
        super().__init__()
        self._low = low
        self.spin = QSpinBox()
        self.spin.setRange(low - 1, high)
        self.spin.setSpecialValueText(NOT_SET)
        self.spin.setValue(low - 1)
        self.spin.valueChanged.connect(lambda *_: self.changed.emit())
        layout = QHBoxLayout(self)
        _tight(layout)
        layout.addWidget(self.spin)
        layout.addStretch(1)
        self.setFocusProxy(self.spin)

    def value(self) -> int | None:
        return None if self.spin.value() < self._low else self.spin.value()

    def set_accessible_name(self, name: str) -> None:
        scale = self.tr("{low} to {high}").format(low=self._low, high=self.spin.maximum())
        self.spin.setAccessibleName(name if scale in name else f"{name}, {scale}")
        self.spin.setAccessibleDescription(self.tr(
            "A score from {scale}; Up and Down change it; below {low} is not scored.").format(
            scale=scale, low=self._low))

    def set_value(self, value: Any) -> None:
        self.spin.setValue(self._low - 1 if value is None else int(value))

    def set_read_only(self, read_only: bool) -> None:
        self.spin.setReadOnly(read_only)


def labelled(options: Sequence[StrEnum], label: Callable[[StrEnum], str]) -> list[
    tuple[StrEnum, str]
]:
    return [(member, label(member)) for member in options]
