"""A scrolling page of the visit editor, with headings a screen reader can find."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.widgets.accessibility import heading
from ui.widgets.form import Form, ProblemSpot


class Page(QScrollArea):
    """One tab of the editor: sections one under another, scrolled as a whole."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the first question
        self.form = Form()
        self.inner = QWidget()
        self.body = QVBoxLayout(self.inner)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setWidget(self.inner)

    def heading(self, text: str, explain: str = "") -> QLabel:
        label = heading(text)
        self.body.addWidget(label)
        if explain:
            note = QLabel(explain)
            note.setWordWrap(True)
            self.body.addWidget(note)
        return label

    def load(self, data: dict[str, Any]) -> None:
        self.form.load(data)

    def collect(self) -> dict[str, Any]:
        return self.form.collect()

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)

    def on_change(self, callback: Callable[[], None]) -> None:
        self.form.on_change(callback)

    def spots(self) -> dict[str, ProblemSpot]:
        return dict(self.form.spots)
