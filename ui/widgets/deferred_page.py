"""A tab of the visit editor that is built when it is first shown, or first asked for.

Opening a visit used to build every tab's widgets before the first one showed (0.7-1.4 s
for three children on a busy laptop). Until a tab is built, what was loaded into it is
kept and read back unchanged, so saving and submitting never need to build it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.widgets.form import ProblemSpot


class Section(Protocol):
    """What the editor does with a household tab (visit, people, home, analysis)."""

    def load(self, data: dict[str, Any]) -> None: ...

    def collect(self) -> dict[str, Any]: ...

    def set_read_only(self, read_only: bool) -> None: ...

    def on_change(self, callback: Callable[[], None]) -> None: ...

    def spots(self) -> dict[str, ProblemSpot]: ...


class DeferredSection(QWidget):
    """Holds the place of one section in the tabs; makes it on first show or first use."""

    def __init__(self, make: Callable[[], QWidget]) -> None:
        super().__init__()
        self._make = make
        self._built: QWidget | None = None
        self._data: dict[str, Any] | None = None
        self._read_only = False
        self._listeners: list[Callable[[], None]] = []
        self._then: list[Callable[[Any], None]] = []
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._built is not None

    @property
    def page(self) -> Any:
        """The section itself, built now if it was not yet."""
        if self._built is None:
            page = self._make()
            section: Section = page  # type: ignore[assignment]
            if self._data is not None:
                section.load(self._data)
            section.set_read_only(self._read_only)
            for listener in self._listeners:
                section.on_change(listener)
            for call in self._then:
                call(page)
            self._then.clear()
            self._built = page
            self._box.addWidget(page)
            page.show()  # now, not at the next event loop turn: focus may go there at once
        return self._built

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self.page  # noqa: B018 - built on first show
        super().showEvent(event)

    def when_built(self, call: Callable[[Any], None]) -> None:
        """Run `call` on the section now if it exists, else as soon as it is built."""
        if self._built is not None:
            call(self._built)
        else:
            self._then.append(call)

    def load(self, data: dict[str, Any]) -> None:
        self._data = data
        if self._built is not None:
            self.page.load(data)

    def collect(self) -> dict[str, Any]:
        """The section's changes over what was loaded; none while it was never built."""
        return self.page.collect() if self._built is not None else {}

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if self._built is not None:
            self.page.set_read_only(read_only)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)
        if self._built is not None:
            self.page.on_change(callback)

    def spots(self) -> dict[str, ProblemSpot]:
        spots: dict[str, ProblemSpot] = self.page.spots()
        return spots
