"""Labelled rows bound to paths in a visit, and problems shown beside the row they concern.

A path is the one `records.validation` uses ("children.0.reason_not_seen_alone"), so a
problem from the record's own rules lands next to the widget that answers it. No rule is
checked here: the form only loads values, reads them back and shows what records/ says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.fields import Field
from ui.widgets.theme import show_in_alert_colour

PROBLEM_MARK = "⚠ "


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted path in nested dicts and lists, or None if it is not there."""
    current = data
    for part in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, list | tuple) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `changes` laid over it, nested dicts merged key by key."""
    result = dict(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def problem_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setVisible(False)
    label.setObjectName("problem")
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
    show_in_alert_colour(label)  # red, as the user guide says, in every theme
    return label


def answered(value: Any) -> bool:
    """Whether a field's value is an answer: not None, blank text or no ticks."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, tuple | list):
        return bool(value)
    return True


_PROBLEM_SAID = "problem_said"  # on a problem's target: the words put before its description


class ProblemSpot:
    """A place on screen where a problem can be shown, and the widget to focus for it.

    The problem is put before the target's own description (its keyboard instructions,
    say) and taken off again once fixed, so the instructions are never lost."""

    def __init__(self, label: QLabel, target: QWidget) -> None:
        self.label = label
        self.target = target

    def _describe(self, problem: str) -> None:
        # What was put on is kept on the target, not in this spot: the editor asks for its
        # spots afresh at each submit, and a new spot must still take off the old problem.
        said_before = str(self.target.property(_PROBLEM_SAID) or "")
        own = self.target.accessibleDescription()
        if said_before and own.startswith(said_before):
            own = own.removeprefix(said_before).strip()
        self.target.setAccessibleDescription(f"{problem} {own}".strip())
        self.target.setProperty(_PROBLEM_SAID, problem)

    def show_problem(self, message: str) -> None:
        self._keep_place(False)
        self.label.setText(PROBLEM_MARK + message)
        self.label.setVisible(True)
        self._describe(message)

    def clear_problem(self) -> None:
        self._keep_place(False)
        self.label.clear()
        self.label.setVisible(False)
        self._describe("")

    def settle(self) -> None:
        """The question is answered now: the warning goes at once, its place kept until
        the next submit so nothing under the field jumps while the worker types."""
        if not self.showing:
            return
        self._keep_place(True)
        self.label.setVisible(False)
        self.label.clear()  # the words go too: a hidden problem is not read as current
        self._describe("")

    def _keep_place(self, keep: bool) -> None:
        policy = self.label.sizePolicy()
        policy.setRetainSizeWhenHidden(keep)
        self.label.setSizePolicy(policy)

    @property
    def showing(self) -> bool:
        return not self.label.isHidden()


class FieldRow(QWidget):
    """A question, its input, a hint, and any problem with the answer, top to bottom."""

    def __init__(self, text: str, field: Field, hint: str = "") -> None:
        super().__init__()
        self.field = field
        self.question = QLabel(text)
        self.question.setWordWrap(True)
        self.question.setBuddy(field.focusProxy() or field)
        field.set_accessible_name(text.replace("&", ""))
        self.problem = problem_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        layout.addWidget(self.question)
        layout.addWidget(field)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            layout.addWidget(note)
            (field.focusProxy() or field).setToolTip(hint)
        layout.addWidget(self.problem)
        self.spot = ProblemSpot(self.problem, field.focusProxy() or field)
        field.changed.connect(self._maybe_answered)

    def _maybe_answered(self) -> None:
        if self.spot.showing and answered(self.field.value()):
            self.spot.settle()


class Form:
    """The rows of one part of the record, keyed by their path within that part."""

    def __init__(self) -> None:
        self.rows: dict[str, FieldRow] = {}
        self.spots: dict[str, ProblemSpot] = {}

    def row(self, name: str, text: str, field: Field, hint: str = "") -> FieldRow:
        made = FieldRow(text, field, hint)
        self.rows[name] = made
        self.spots[name] = made.spot
        return made

    def spot(self, name: str, label: QLabel, target: QWidget) -> ProblemSpot:
        made = ProblemSpot(label, target)
        self.spots[name] = made
        return made

    def on_change(self, callback: Callable[[], None]) -> None:
        for row in self.rows.values():
            row.field.changed.connect(callback)

    def load(self, data: Mapping[str, Any]) -> None:
        for name, row in self.rows.items():
            row.field.set_value(get_path(data, name))

    def collect(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, row in self.rows.items():
            set_path(result, name, row.field.value())
        return result

    def set_read_only(self, read_only: bool) -> None:
        for row in self.rows.values():
            row.field.set_read_only(read_only)

    def value(self, name: str) -> Any:
        return self.rows[name].field.value()


def reveal(widget: QWidget) -> None:
    """Bring a widget into view: switch every tab and page above it, scroll to it."""
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget):
            tabs = parent.parentWidget()
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentIndex(tabs.indexOf(child))
            else:
                parent.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 50, 80)
        parent = parent.parentWidget()
