"""The inputs a visit is written with, each holding one value of the record.

Every field has the same small surface: `value()`, `set_value()`, `changed`, and
`set_read_only()`, so a form can load a record into widgets and read it back without
knowing which widget is which. Values are the record's own types (enums, Decimals,
aware datetimes, None for "not answered").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

SHORT_TEXT_LIMIT = 500
NOT_SET = "—"
_NO_DATE = QDate(2000, 1, 1)


class _LeavesOnTab(QDateTimeEdit):
    """A date-time box that Tab leaves (arrows move between its parts): no keyboard trap."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802
        return QWidget.focusNextPrevChild(self, next)


class _DayLeavesOnTab(QDateEdit):
    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802
        return QWidget.focusNextPrevChild(self, next)


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


class YesNo(Field):
    """A question answered with two big buttons; unanswered until one is pressed."""

    def __init__(self, yes: str, no: str, *, big: bool = False) -> None:
        super().__init__()
        self.yes = QPushButton(yes)
        self.no = QPushButton(no)
        self.group = QButtonGroup(self)
        layout = QHBoxLayout(self)
        _tight(layout)
        for button in (self.yes, self.no):
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.group.addButton(button)
            layout.addWidget(button)
            if big:
                button.setMinimumHeight(44)
                font = QFont(button.font())
                font.setPointSizeF(font.pointSizeF() * 1.2)
                font.setBold(True)
                button.setFont(font)
        layout.addStretch(1)
        self._labels: dict[QAbstractButton, str] = {self.yes: yes, self.no: no}
        self.group.buttonToggled.connect(self._toggled)
        self.setFocusProxy(self.yes)

    def _toggled(self, button: QAbstractButton, checked: bool) -> None:
        # The answer shows by a tick as well as by shading: plain in high contrast too.
        button.setText(("✓ " if checked else "") + self._labels[button])
        self.changed.emit()

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def set_value(self, value: Any) -> None:
        if value is None:
            self.group.setExclusive(False)
            self.yes.setChecked(False)
            self.no.setChecked(False)
            self.group.setExclusive(True)
        else:
            (self.yes if value else self.no).setChecked(True)

    def set_read_only(self, read_only: bool) -> None:
        for button in (self.yes, self.no):
            button.setEnabled(not read_only or button.isChecked())
            button.setCheckable(True)

    def set_accessible_name(self, name: str) -> None:
        self.yes.setAccessibleName(f"{name}: {self.yes.text()}")
        self.no.setAccessibleName(f"{name}: {self.no.text()}")


class Choice(Field):
    """One of an enum's members, or not chosen yet."""

    def __init__(self, options: Sequence[tuple[StrEnum, str]]) -> None:
        super().__init__()
        self.combo = QComboBox()
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
        self.combo.setEnabled(not read_only)


class Checks(Field):
    """Any number of an enum's members, as a row of tick boxes."""

    def __init__(self, options: Sequence[tuple[StrEnum, str]], columns: int = 3) -> None:
        super().__init__()
        self.boxes: list[tuple[StrEnum, QCheckBox]] = []
        layout = QGridLayout(self)
        _tight(layout)
        for number, (member, label) in enumerate(options):
            box = QCheckBox(label)
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
        for _, box in self.boxes:
            box.setEnabled(not read_only)

    def set_accessible_name(self, name: str) -> None:
        for _, box in self.boxes:
            box.setAccessibleName(f"{name}: {box.text()}")


class WhenField(Field):
    """A date and time, shown in the laptop's local time and held in UTC."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = _LeavesOnTab()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.edit.setMinimumDateTime(QDateTime(_NO_DATE, QTime(0, 0)))
        self.edit.setSpecialValueText(NOT_SET)
        self.edit.dateTimeChanged.connect(lambda *_: self.changed.emit())
        self.now = QPushButton(self.tr("Now"))
        self.now.setAutoDefault(False)
        self.now.clicked.connect(self.set_now)
        layout = QHBoxLayout(self)
        _tight(layout)
        layout.addWidget(self.edit)
        layout.addWidget(self.now)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def set_now(self) -> None:
        self.set_value(datetime.now(UTC).replace(second=0, microsecond=0))

    def set_accessible_name(self, name: str) -> None:
        self.edit.setAccessibleName(name)
        self.now.setAccessibleName(f"{name}: {self.now.text()}")

    def value(self) -> datetime | None:
        chosen = self.edit.dateTime()
        if chosen == self.edit.minimumDateTime():
            return None
        seconds = chosen.toSecsSinceEpoch()
        return datetime.fromtimestamp(seconds, UTC)

    def set_value(self, value: Any) -> None:
        if value is None:
            self.edit.setDateTime(self.edit.minimumDateTime())
            return
        moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.systemTimeZone())
        self.edit.setDateTime(moment)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.now.setVisible(not read_only)
        self.edit.setButtonSymbols(
            QAbstractSpinBox.ButtonSymbols.NoButtons if read_only
            else QAbstractSpinBox.ButtonSymbols.UpDownArrows
        )


class DayField(Field):
    """A calendar day, or not set."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = _DayLeavesOnTab()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy")
        self.edit.setMinimumDate(_NO_DATE)
        self.edit.setSpecialValueText(NOT_SET)
        self.edit.setDate(_NO_DATE)
        self.edit.dateChanged.connect(lambda *_: self.changed.emit())
        layout = QHBoxLayout(self)
        _tight(layout)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> date | None:
        chosen = self.edit.date()
        if chosen == _NO_DATE:
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: Any) -> None:
        self.edit.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


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

    def set_value(self, value: Any) -> None:
        self.spin.setValue(self._low - 1 if value is None else int(value))

    def set_read_only(self, read_only: bool) -> None:
        self.spin.setReadOnly(read_only)


def labelled(options: Sequence[StrEnum], label: Callable[[StrEnum], str]) -> list[
    tuple[StrEnum, str]
]:
    return [(member, label(member)) for member in options]
