"""The editor's problems: each beside its field, all in one list, the first one focused.

A mixin of `VisitEditor` (ui/visit/visit_editor.py), kept apart so the editor reads as its
pages and its saving; it needs the editor's problem list, its sections and child pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStackedWidget, QTabBar, QWidget

from records.problems import Problem
from ui.visit.validation_text import problem_text
from ui.widgets.form import ProblemSpot, reveal

if TYPE_CHECKING:
    from ui.visit.child_page import ChildPage
    from ui.widgets.deferred_page import DeferredSection


def problems_from(error: ValidationError) -> list[Problem]:
    return [Problem(".".join(str(part) for part in issue["loc"]), issue["msg"])
            for issue in error.errors()]


def first_field(page: QWidget) -> QWidget | None:
    """The first widget on a page that Tab would reach."""
    candidate = page.nextInFocusChain()
    while candidate is not None and candidate is not page:
        if (page.isAncestorOf(candidate) and candidate.isVisibleTo(page)
                and candidate.isEnabled()
                and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(candidate, QTabBar)):
            return candidate
        candidate = candidate.nextInFocusChain()
    return None


class ProblemNavigation:
    """Showing the problems a submit (or a half-typed answer) found, and going to each."""

    problem_list: QListWidget
    no_problems: QLabel
    problems_shown: QStackedWidget
    child_pages: list[ChildPage]
    _problem_spots: list[ProblemSpot | None]

    if TYPE_CHECKING:
        def _sections(self) -> list[DeferredSection]: ...

    def spots(self) -> dict[str, ProblemSpot]:
        found: dict[str, ProblemSpot] = {}
        for section in self._sections():
            found.update(section.spots())
        for number, page in enumerate(self.child_pages):
            found.update(page.spots(f"children.{number}"))
        return found

    @staticmethod
    def spot_for(spots: dict[str, ProblemSpot], path: str) -> ProblemSpot | None:
        parts = path.split(".")
        while parts:
            spot = spots.get(".".join(parts))
            if spot is not None:
                return spot
            parts.pop()
        return None

    def show_problems(self, problems: list[Problem], *, focus: bool = True) -> None:
        """Each problem beside its field, all of them in the list, the first one focused."""
        spots = self.spots()
        for spot in spots.values():
            spot.clear_problem()
        self.problem_list.clear()
        self._problem_spots = []
        messages: dict[int, list[str]] = {}
        for problem in problems:
            beside = self.spot_for(spots, problem.field)
            if beside is not None:
                messages.setdefault(id(beside), []).append(problem_text(problem))
                beside.show_problem(" ".join(messages[id(beside)]))
            item = QListWidgetItem(problem_text(problem))
            item.setData(Qt.ItemDataRole.UserRole, len(self._problem_spots))
            self.problem_list.addItem(item)
            self._problem_spots.append(beside)
        self.problems_shown.setCurrentWidget(self.problem_list if problems
                                             else self.no_problems)
        if problems and focus:
            self._focus(self._problem_spots[0])

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        self._focus(self._problem_spots[int(item.data(Qt.ItemDataRole.UserRole))])

    @property
    def problems_showing(self) -> bool:
        return self.problems_shown.currentWidget() is self.problem_list

    def _focus(self, spot: ProblemSpot | None) -> None:
        if spot is None:
            self.problem_list.setFocus()
            return
        reveal(spot.target)
        spot.target.setFocus(Qt.FocusReason.OtherFocusReason)
