"""A date (or date and time) box that is typed into, as a person writes a date.

"11/12/2026" (day first or month first as the laptop's locale writes dates), "11 Dec 2026",
"Fri 11 Dec 2026 14:30", "t" for today (or now), "+7" for a week from today. Up and Down
move a day (from today when empty, never from a far-off minimum), Alt+Down or F4 opens a
calendar. Empty means "not answered" and stays empty until the worker sets it. The box is
a line edit, so a space typed into it is part of the date: it never moves focus on (a
QDateEdit's space had sent the keys that followed to the next button).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dateutil import parser as dates
from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QVBoxLayout, QWidget

DAY_FORMAT = "%a %d %b %Y"
TIME_FORMAT = "%H:%M"
_TODAY = {"t", "today", "n", "now"}
_OFFSET = re.compile(r"([+-])\s*(\d{1,4})\s*d?")


def day_first(locale: QLocale | None = None) -> tuple[bool, bool]:
    """(day first, year first) in the locale's short numeric dates: 11/12 is 11 Dec in
    the UK and Nov 12 in the US."""
    pattern = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat)
    order = [pattern.find(part) for part in ("d", "M", "y")]
    day, month, year = (position if position >= 0 else 99 for position in order)
    return day < month, year < day and year < month


# complexity: each way a worker types a date (today, +3, 11/12/26), tried in turn
def read_when(text: str, now: datetime, *, with_time: bool,
              locale: QLocale | None = None) -> datetime | None:
    """What the worker typed, as a naive local date and time; None if it is not a date.

    `now` is local and naive. A date without a time takes midnight (the caller keeps only
    the day) or, in a date-and-time box, the time already shown or typed."""
    said = text.strip().casefold()
    if said in _TODAY:
        return now if with_time else datetime.combine(now.date(), time())
    offset = _OFFSET.fullmatch(said)
    if offset:
        days = int(offset.group(2)) * (1 if offset.group(1) == "+" else -1)
        try:
            return now + timedelta(days=days) if with_time else datetime.combine(
                now.date() + timedelta(days=days), time())
        except OverflowError:
            return None
    if not any(character.isdigit() for character in said):
        return None  # "Fri" alone, or a word: not a date anyone means
    dayfirst, yearfirst = day_first(locale)
    try:
        found = dates.parse(text, dayfirst=dayfirst, yearfirst=yearfirst,
                            default=datetime.combine(now.date(), time()))
    except (ValueError, OverflowError):
        return None
    if found.year < 100:  # "11/12/26"
        found = found.replace(year=2000 + found.year)
    return found.replace(tzinfo=None)


class _Calendar(QWidget):
    """The calendar a date box opens: arrows move, Enter chooses, Escape goes back."""

    chosen = Signal(QDate)

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.activated.connect(self._choose)
        self.calendar.clicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)

    def _choose(self, day: QDate) -> None:
        self.chosen.emit(day)
        self.close()


class DateBox(QLineEdit):
    """A typed date, or date and time. `value()` is None until a date is set."""

    committed = Signal()  # the value changed (typed and understood, or chosen)

    def __init__(self, *, with_time: bool = False) -> None:
        super().__init__()
        self.with_time = with_time
        self._value: datetime | None = None
        self.calendar: _Calendar | None = None
        self.setPlaceholderText(self.tr("dd/mm/yyyy, t for today, +7 for a week on")
                                if not with_time else
                                self.tr("date and time, e.g. 11/12/2026 14:30; n for now"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("Wed 30 Sep 2026  00:00 ")
                             + 24)
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._tidy)

    # --- the value ---------------------------------------------------------------------

    def value(self) -> datetime | None:
        return self._value

    def understood(self) -> bool:
        """False while the box holds text that is not a date."""
        return bool(self._value is not None or not self.text().strip())

    def set_value(self, value: datetime | None) -> None:
        self._value = value
        self.setText(self._shown(value))

    def _shown(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return value.strftime(f"{DAY_FORMAT}  {TIME_FORMAT}" if self.with_time else DAY_FORMAT)

    def _now(self) -> datetime:
        return datetime.now().replace(second=0, microsecond=0)

    def _typed(self, text: str) -> None:
        read = read_when(text, self._now(), with_time=self.with_time)
        if read is not None and self.with_time and self._value is not None \
                and not re.search(r"\d[:.]\d", text) and text.strip().casefold() not in _TODAY:
            read = datetime.combine(read.date(), self._value.time())  # a new day, same time
        self._set(read, retype=False)
        if read is None and text.strip():
            self.committed.emit()  # not a date (yet): the row says so, the text stays

    def _set(self, value: datetime | None, *, retype: bool) -> None:
        changed = value != self._value
        self._value = value
        if retype:
            self.setText(self._shown(value))
        if changed or retype:
            self.committed.emit()

    def _tidy(self) -> None:
        """On leaving the box: show what it understood in one plain form."""
        if self._value is not None:
            self.setText(self._shown(self._value))

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._tidy()
        super().focusOutEvent(event)

    # --- keys --------------------------------------------------------------------------

    # complexity: the keyboard contract of the date box, one branch per key
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.open_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not alt:
            step = 1 if key == Qt.Key.Key_Up else -1
            if self._value is None:
                self._set(self._now() if self.with_time
                          else datetime.combine(self._now().date(), time()), retype=True)
            else:
                self._set(self._value + timedelta(days=step), retype=True)
            return
        if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) and self._value is not None \
                and not mods & Qt.KeyboardModifier.ControlModifier:
            days = 7 if key == Qt.Key.Key_PageUp else -7
            self._set(self._value + timedelta(days=days), retype=True)
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = _Calendar(self)
            self.calendar.chosen.connect(self._chosen)
        shown = self._value or self._now()
        self.calendar.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.show()
        self.calendar.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _chosen(self, day: QDate) -> None:
        moment = self._value.time() if self._value is not None and self.with_time else (
            self._now().time() if self.with_time else time())
        self._set(datetime.combine(date(day.year(), day.month(), day.day()), moment),
                  retype=True)
        self.setFocus(Qt.FocusReason.PopupFocusReason)
