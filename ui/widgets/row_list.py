"""A list of small forms the worker can add to and remove from: people, actions, sharing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.form import Form, ProblemSpot, problem_label

RowFields = Callable[[Form], None]
"""Given a fresh Form, adds the rows one entry has."""


REMOVE_KEYS = "Ctrl+Shift+Delete"


class _Entry(QFrame):
    def __init__(self, title: str, form: Form, remove_text: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.form = form
        self.title = QLabel(title)
        self.problem = problem_label()
        self.remove = QPushButton(remove_text)
        self.remove.setAutoDefault(False)
        # Out of the Tab chain: a space typed after a field once removed an action. From
        # the keyboard, Ctrl+Shift+Delete in the entry removes it, and Undo brings it back.
        self.remove.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.remove.setProperty("reached_by", REMOVE_KEYS)
        self.remove.setToolTip(REMOVE_KEYS)
        self.remove_keys = QShortcut(QKeySequence(REMOVE_KEYS), self)
        self.remove_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        grid = QGridLayout()
        for number, row in enumerate(form.rows.values()):
            grid.addWidget(row, number // 2, number % 2)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.problem)


class RowList(QWidget):
    """Zero or more entries of the same small form, collected as a list of dicts."""

    changed = Signal()

    def __init__(self, title: str, add_text: str, make_rows: RowFields) -> None:
        super().__init__()
        self._title = title
        self._make_rows = make_rows
        self._entries: list[_Entry] = []
        self._read_only = False
        self.problem = problem_label()
        self.undo_note = QLabel()
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self.undo_remove)
        self._removed: tuple[int, _Entry] | None = None
        self.undo_bar = QWidget()
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.undo_note)
        bar.addWidget(self.undo_button)
        bar.addStretch(1)
        self.undo_bar.setVisible(False)
        self.add_button = QPushButton(add_text)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._add_clicked)
        self._list = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._list)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.problem)
        layout.addWidget(self.add_button)

    def _add_clicked(self) -> None:
        entry = self.add({})
        first = next(iter(entry.form.rows.values()), None)
        if first is not None:
            first.field.setFocus()
        self.changed.emit()

    def add(self, values: Mapping[str, Any]) -> _Entry:
        form = Form()
        self._make_rows(form)
        entry = _Entry(f"{self._title} {len(self._entries) + 1}", form, self.tr("Remove"))
        form.load(values)
        form.on_change(self.changed.emit)
        form.set_read_only(self._read_only)
        entry.remove.setVisible(not self._read_only)
        entry.remove.clicked.connect(lambda: self._remove(entry))
        entry.remove_keys.activated.connect(lambda: self._remove(entry))
        self._entries.append(entry)
        self._list.addWidget(entry)
        if self.isVisible():
            entry.show()  # now, not at the next event loop turn: Tab goes there at once
        self._retitle()
        self._chain_before_add_button(entry)
        return entry

    def _chain_before_add_button(self, entry: _Entry) -> None:
        """Tab goes through a new entry's fields in order, then on to "Add": a widget made
        later would otherwise join the end of the window's tab order."""
        previous = self.add_button.previousInFocusChain() or self.add_button
        # Every input that can take focus, Tab stop or not: a yes/no answer becomes the
        # Tab stop once chosen, and must already be in its place in the chain.
        inputs = [w for row in entry.form.rows.values() for w in row.findChildren(QWidget)
                  if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
        for widget in inputs:
            QWidget.setTabOrder(previous, widget)
            previous = widget

    def _remove(self, entry: _Entry) -> None:
        """Take the entry out, kept until the next removal so Undo can put it back."""
        if self._read_only or entry not in self._entries:
            return
        self._forget_removed()
        place = self._entries.index(entry)
        self._entries.remove(entry)
        self._list.removeWidget(entry)
        entry.hide()
        self._removed = (place, entry)
        self.undo_note.setText(self.tr("{title} {number} removed.").format(
            title=self._title, number=place + 1))
        self.undo_button.setAccessibleName(self.tr("Undo: put {title} {number} back").format(
            title=self._title, number=place + 1))
        self.undo_bar.setVisible(True)
        self._retitle()
        self.undo_button.setFocus()
        self.changed.emit()

    def undo_remove(self) -> None:
        if self._removed is None:
            return
        place, entry = self._removed
        self._removed = None
        self.undo_bar.setVisible(False)
        self._entries.insert(place, entry)
        self._list.insertWidget(place, entry)
        entry.show()
        self._retitle()
        first = next(iter(entry.form.rows.values()), None)
        if first is not None:
            first.field.setFocus()
        self.changed.emit()

    def _forget_removed(self) -> None:
        if self._removed is not None:
            self._removed[1].deleteLater()
        self._removed = None
        self.undo_bar.setVisible(False)

    def _retitle(self) -> None:
        for number, entry in enumerate(self._entries, start=1):
            entry.title.setText(f"<b>{self._title} {number}</b>")
            entry.remove.setAccessibleName(f"{self.tr('Remove')} {self._title} {number}")

    def load(self, items: list[Mapping[str, Any]] | tuple[Mapping[str, Any], ...]) -> None:
        self._forget_removed()
        for entry in self._entries:
            entry.hide()
            entry.deleteLater()
        self._entries = []
        for item in items:
            self.add(item)

    def collect(self, base: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        result = []
        for number, entry in enumerate(self._entries):
            original = base[number] if number < len(base) else {}
            result.append({**original, **entry.form.collect()})
        return result

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setVisible(not read_only)
        if read_only:
            self._forget_removed()
        for entry in self._entries:
            entry.form.set_read_only(read_only)
            entry.remove.setVisible(not read_only)

    def spots(self, prefix: str) -> dict[str, ProblemSpot]:
        found = {prefix: ProblemSpot(self.problem, self.add_button)}
        for number, entry in enumerate(self._entries):
            first = next(iter(entry.form.rows.values()))
            found[f"{prefix}.{number}"] = ProblemSpot(entry.problem, first.field)
            for name, spot in entry.form.spots.items():
                found[f"{prefix}.{number}.{name}"] = spot
        return found
