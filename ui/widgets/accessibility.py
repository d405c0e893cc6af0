"""What a screen reader hears: messages announced as they appear, and the roles Qt cannot
guess (a yes/no answer is a radio button, a section title a heading, a drop-down its
question with its choice as value, the body map a value with each of its marks a child).

Every announcement goes through `announce`, so a message is spoken the same way wherever
it comes from; `MessageLabel` is a label that announces each new text it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import QAbstractButton, QAccessibleWidget, QComboBox, QLabel, QWidget

Listener = Callable[[QObject, str], None]
_listeners: list[Listener] = []
_TAGS = re.compile(r"<[^>]+>")

HEADING = "heading"  # a QLabel property: the heading level of a section title
VALUE = "accessible_value"  # a widget method: the value a screen reader reads (the body map)
RADIO = "answer"  # a QAbstractButton property: one answer of a question, read as a radio
PARTS = "accessible_parts"  # a widget method: the things drawn on it (the body map's marks)
QUESTION = "question"  # a QComboBox property: a drop-down read by its question, not its value


@dataclass(frozen=True)
class Part:
    """One thing drawn on a widget, read as an item of its own: its words, and where it is
    in the widget (an empty rectangle when it is listed but not drawn)."""

    name: str
    where: QRect


def plain(text: str) -> str:
    """A label's words without its markup, as they are spoken."""
    return " ".join(_TAGS.sub(" ", text).replace("&nbsp;", " ").split())


def announce(source: QObject, message: str, *, assertive: bool = False) -> None:
    """Speak `message` now, without moving focus (Qt's announcement event). Refusals and
    results are assertive: they interrupt what is being read."""
    spoken = plain(message)
    if not spoken:
        return
    event = QAccessibleAnnouncementEvent(source, spoken)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)
    for listener in list(_listeners):
        listener(source, spoken)


def listen(listener: Listener) -> Callable[[], None]:
    """Hear every announcement (what the user guide's screen-reader section lists); returns
    the call that stops listening."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


class MessageLabel(QLabel):
    """A message or status: its text is its accessible name (so it is read as it stands),
    what it is goes in the description, and each new text is announced."""

    def __init__(self, what: str, *, assertive: bool = False) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAccessibleDescription(what)
        self.assertive = assertive

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name, so every caller announces
        changed = text != self.text()
        super().setText(text)
        if changed:
            announce(self, text, assertive=self.assertive)

    def set_quietly(self, text: str) -> None:
        """A routine update (a draft saved) shown without interrupting the reader."""
        super().setText(text)


def heading(text: str, level: int = 2) -> QLabel:
    """A section title a screen reader lists among the headings."""
    label = QLabel(f"<h{level}>{text}</h{level}>")
    label.setProperty(HEADING, level)
    install()
    return label


class _Described(QAccessibleWidget):
    """A widget read with the role its user expects and its own words as name."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        super().__init__(widget, role)
        self._widget = widget

    def text(self, kind: QAccessible.Text) -> str:
        widget = self._widget
        if kind == QAccessible.Text.Name:
            if widget.accessibleName():
                return widget.accessibleName()
            if isinstance(widget, QAbstractButton | QLabel):
                return plain(widget.text()).removeprefix("✓ ")
        if kind == QAccessible.Text.Value:
            if isinstance(widget, QComboBox):
                return widget.currentText()
            value = getattr(widget, VALUE, None)
            if callable(value):
                return str(value())
        return str(super().text(kind))

    def state(self) -> Any:
        state = super().state()
        widget = self._widget
        if isinstance(widget, QAbstractButton):
            state.checkable = True
            state.checked = widget.isChecked()
            state.readOnly = not bool(widget.property("answerable"))
        if isinstance(widget, QComboBox):
            state.hasPopup = True
        return state


class _PartItem(QAccessibleInterface):
    """One part of a drawn widget as a list item: a mark on the body map."""

    def __init__(self, owner: _Drawn, index: int) -> None:
        super().__init__()
        self._owner = owner
        self.index = index

    def _part(self) -> Part | None:
        parts = self._owner.parts()
        return parts[self.index] if self.index < len(parts) else None

    def isValid(self) -> bool:  # noqa: N802 - Qt's names
        return self._part() is not None and self._owner.isValid()

    def object(self) -> Any:
        return None

    def window(self) -> Any:
        return self._owner.window()

    def relations(self, *_: Any) -> list[Any]:
        return []

    def focusChild(self) -> Any:  # noqa: N802
        return None

    def childAt(self, _x: int, _y: int) -> Any:  # noqa: N802
        return None

    def parent(self) -> QAccessibleInterface:
        return self._owner

    def child(self, _index: int) -> Any:
        return None

    def childCount(self) -> int:  # noqa: N802
        return 0

    def indexOfChild(self, _child: Any) -> int:  # noqa: N802
        return -1

    def text(self, kind: QAccessible.Text) -> str:
        part = self._part()
        return part.name if part is not None and kind == QAccessible.Text.Name else ""

    def setText(self, _kind: Any, _text: str) -> None:  # noqa: N802
        return None

    def rect(self) -> QRect:
        part, widget = self._part(), self._owner.widget()
        if part is None or part.where.isEmpty():
            return QRect()
        return QRect(widget.mapToGlobal(part.where.topLeft()), part.where.size())

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> Any:
        state = QAccessible.State()
        state.readOnly = True
        state.invisible = self._part() is None or self._part().where.isEmpty()  # type: ignore[union-attr]
        return state


class _Drawn(_Described):
    """A drawn widget (the body map) whose parts are children: a screen reader lists the
    marks one by one, each with its own words, instead of one long value."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, QAccessible.Role.Graphic)
        # Kept for the widget's life: Qt may hold an item it was given after the marks change.
        self._items: list[_PartItem] = []

    def parts(self) -> list[Part]:
        found = getattr(self.widget(), PARTS, None)
        return list(found()) if callable(found) else []

    def childCount(self) -> int:  # noqa: N802
        return len(self.parts())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        if not 0 <= index < self.childCount():
            return None
        while len(self._items) <= index:
            self._items.append(_PartItem(self, len(self._items)))
        return self._items[index]

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        for index, item in enumerate(self._items):
            if item is child and index < self.childCount():
                return index
        return -1


# complexity: Qt's accessibility factory: one branch per kind of widget
def _factory(_key: str, target: QObject) -> QAccessibleInterface | None:
    if isinstance(target, QAbstractButton) and target.property(RADIO):
        return _Described(target, QAccessible.Role.RadioButton)
    if isinstance(target, QComboBox) and target.property(QUESTION):
        # Qt on Linux names a drop-down by its current value ("— choose —") and leaves the
        # question to a label relation; here the question is the name, the choice the value.
        return _Described(target, QAccessible.Role.ComboBox)
    if isinstance(target, QLabel) and target.property(HEADING):
        return _Described(target, QAccessible.Role.Heading)
    if isinstance(target, QWidget) and callable(getattr(target, PARTS, None)):
        return _Drawn(target)
    if isinstance(target, QWidget) and callable(getattr(target, VALUE, None)):
        return _Described(target, QAccessible.Role.Graphic)
    return None


_installed: list[bool] = []


def install() -> None:
    """Teach Qt the roles above (once; the widgets that need them call this)."""
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed.append(True)
