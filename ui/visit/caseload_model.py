"""The caseload as a Qt table model: one row per child, sorted and filtered in one pass.

The text of every row is prepared off the UI thread (`prepare_caseload`, on the vault lane
after the rows are read) and handed to the model in one reset, so showing 5,000 children
costs the window a list swap; `data()` then only indexes a prepared tuple. (A `multiData`
override was tried and dropped: PySide6 6.12.0 lost a reference to None in each
`QModelRoleData.setData`, aborting the interpreter; see docs/architecture.md.)
Sorting and filtering are one Python pass over prepared keys and search text, in the model
itself: a `QSortFilterProxyModel` matching through `data()` called back into Python 35,000
times for one keystroke in the filter box (0.4 s).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from records.contracts import CaseloadRow, ReturnedQuestion
from records.flag_types import weekday_text
from ui.widgets.theme import colours

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY = Qt.ItemDataRole.DisplayRole
FONT = Qt.ItemDataRole.FontRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
NEXT_DUE_COLUMN = 4
QUESTION_COLUMN = 6
SortedBy = tuple[int, Qt.SortOrder]
FIRST_ORDER: SortedBy = (NEXT_DUE_COLUMN, Qt.SortOrder.AscendingOrder)  # soonest due first
ANSWER_NEEDED = "Answer needed"
QT_TRANSLATE_NOOP("CaseloadModel", "Answer needed")  # for lupdate: ANSWER_NEEDED's words


def _day(value: date | None) -> str:
    return weekday_text(value) if value else "—"


_ALONE_ORDER = {False: 0, None: 1, True: 2}  # "NO" first: the children to worry about
_SORT_KEYS: tuple[Callable[[CaseloadRow], Any], ...] = (
    lambda row: row.child_name,
    lambda row: row.case_reference,
    lambda row: row.plan_type.label,
    lambda row: row.last_seen or date.min,
    # Nothing to count from (never seen, no start date) is the first to put right.
    lambda row: row.next_visit_due or date.min,
    lambda row: _ALONE_ORDER[row.seen_alone_when_last_seen],
)


@dataclass(frozen=True, slots=True)
class CaseloadLine:
    """One child's row as the table shows it, prepared off the UI thread."""

    row: CaseloadRow
    texts: tuple[str, ...]  # one per column before the team lead's question
    overdue: bool
    search: str  # the row's words, case-folded, for the filter box


@dataclass(frozen=True)
class PreparedCaseload:
    """The caseload ready to hand to the model; `rows` is what the vault returned."""

    rows: list[CaseloadRow]
    lines: list[CaseloadLine]
    today: date | None = None  # the day "overdue" was judged against
    ordered: list[CaseloadLine] | None = None  # `lines` sorted as `sorted_by` says
    sorted_by: SortedBy | None = None


def prepare_caseload(rows: Sequence[CaseloadRow], today: date,
                     earlier: PreparedCaseload | None = None,
                     sorted_by: SortedBy = FIRST_ORDER) -> PreparedCaseload:
    """Every row's text, worked out once, and sorted as the table shows it. Safe off the UI
    thread (no widgets, no fonts).

    The vault's caseload keeps the same row object for a child whose row did not change,
    so a reload re-prepares only what changed since `earlier`."""
    known = ({id(line.row): line for line in earlier.lines} if earlier is not None else {})
    yes = QCoreApplication.translate("CaseloadModel", "Yes")
    no = QCoreApplication.translate("CaseloadModel", "NO")
    alone = {True: yes, False: no, None: "—"}
    # Overdue in words as well as bold: read out, and plain without the font or a tooltip.
    late = _overdue_words()
    no_start = _no_start_words()
    lines: list[CaseloadLine] = []
    for row in rows:
        line = known.get(id(row))
        if line is None or line.row is not row or line.overdue != _overdue(row, today):
            due = _day(row.next_visit_due)
            texts = (row.child_name, row.case_reference, row.plan_type.label,
                     _day(row.last_seen),
                     no_start if row.next_visit_due is None
                     else late.format(day=due) if _overdue(row, today) else due,
                     alone[row.seen_alone_when_last_seen])
            line = CaseloadLine(row, texts, _overdue(row, today), "\n".join(texts).casefold())
        lines.append(line)
    column, order = sorted_by
    ordered = (None if column == QUESTION_COLUMN  # that order depends on the questions
               else _sorted(lines, _SORT_KEYS[column], order))
    return PreparedCaseload(list(rows), lines, today, ordered, sorted_by)


def _sorted(lines: list[CaseloadLine], by_row: Callable[[CaseloadRow], Any],
            order: Qt.SortOrder) -> list[CaseloadLine]:
    return sorted(lines, key=lambda line: by_row(line.row),
                  reverse=order is Qt.SortOrder.DescendingOrder)


def _overdue_words() -> str:
    return QCoreApplication.translate("CaseloadModel", "{day} (overdue)")


def _no_start_words() -> str:
    return QCoreApplication.translate("CaseloadModel", "No start date (overdue)")


def widest_due_text() -> str:
    """The longest text the "Next visit due" column can hold, so the screen can keep that
    column wide enough: an elided "(overdue)" would leave only the bold to say it."""
    return max(_overdue_words().format(day=_day(date(2026, 9, 30))),  # "Wed 30 Sep 2026"
               _no_start_words(), key=len)


def _overdue(row: CaseloadRow, today: date) -> bool:
    """Past its due date; or never seen with no plan or placement start to count from (a
    data problem the team lead's flags show red, domain.md: never a silent blank)."""
    if row.next_visit_due is None:
        return row.last_seen is None
    return row.next_visit_due < today


def _same_rows(shown: list[CaseloadRow], given: list[CaseloadRow]) -> bool:
    """The caseload reuses the row object of every child whose row did not change."""
    return len(shown) == len(given) and all(a is b for a, b in zip(shown, given, strict=True))


class CaseloadModel(QAbstractTableModel):
    COLUMNS = (QT_TRANSLATE_NOOP("CaseloadModel", "Child"),
               QT_TRANSLATE_NOOP("CaseloadModel", "Case"),
               QT_TRANSLATE_NOOP("CaseloadModel", "Plan"),
               QT_TRANSLATE_NOOP("CaseloadModel", "Last seen"),
               QT_TRANSLATE_NOOP("CaseloadModel", "Next visit due"),
               QT_TRANSLATE_NOOP("CaseloadModel", "Seen alone then"),
               QT_TRANSLATE_NOOP("CaseloadModel", "Team lead's question"))

    def __init__(self, today: date) -> None:
        """`today`: the day "overdue" is judged against until rows prepared for another day
        arrive (`set_rows` takes their day: the caseload read after midnight or after an
        unlock days later is judged against the day it was read)."""
        super().__init__()
        self._prepared = PreparedCaseload([], [])
        self._ordered: list[CaseloadLine] = []  # every line, in the chosen order
        self._lines: list[CaseloadLine] = []  # the lines the filter lets through
        self._needle = ""
        self._today = today
        self._sorted_by: SortedBy = FIRST_ORDER
        self._questions: dict[UUID, list[ReturnedQuestion]] = {}
        bold = QFont()
        bold.setBold(True)
        self._bold = bold
        self._theme = colours()

    @property
    def today(self) -> date:
        return self._today

    @property
    def prepared(self) -> PreparedCaseload:
        return self._prepared

    @property
    def sorted_by(self) -> SortedBy:
        return self._sorted_by

    def set_rows(self, rows: Sequence[CaseloadRow] | PreparedCaseload) -> bool:
        """Show `rows`; False, and nothing redrawn or re-sorted, when they are the rows shown.

        Prefer a `PreparedCaseload` made off the UI thread; plain rows are prepared here."""
        given = rows.rows if isinstance(rows, PreparedCaseload) else list(rows)
        if isinstance(rows, PreparedCaseload) and rows.today is not None:
            new_day = rows.today != self._today
            self._today = rows.today
        else:
            new_day = False
        if _same_rows(self._prepared.rows, given) and not new_day:
            return False
        prepared = (rows if isinstance(rows, PreparedCaseload) and rows.today == self._today
                    else prepare_caseload(given, self._today,
                                          rows if isinstance(rows, PreparedCaseload)
                                          else self._prepared))
        self.beginResetModel()
        self._prepared = prepared
        self._theme = colours()
        self._ordered = (prepared.ordered
                         if prepared.ordered is not None and prepared.sorted_by == self._sorted_by
                         else self._in_order(prepared.lines))  # sorted meanwhile: again here
        self._lines = self._filtered(self._ordered)
        self.endResetModel()
        return True

    def set_filter(self, text: str) -> None:
        """Only the children whose row contains `text` (any column, any case)."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._lines = self._filtered(self._ordered)
        self.endResetModel()

    def set_questions(self, questions: list[ReturnedQuestion]) -> None:
        """Mark each child on a visit the team lead returned, until an addendum answers it."""
        by_child: dict[UUID, list[ReturnedQuestion]] = {}
        for question in questions:
            for child_id in question.child_ids:
                by_child.setdefault(child_id, []).append(question)
        if by_child == self._questions:
            return

        def mark() -> None:
            self._questions = by_child
            self._theme = colours()
            self._ordered = self._in_order(self._ordered)
            self._lines = self._filtered(self._ordered)

        self._relayout(mark)

    def questions_for(self, child_id: UUID) -> list[ReturnedQuestion]:
        return self._questions.get(child_id, [])

    def _sort_key(self, row: CaseloadRow, column: int) -> Any:
        if column == QUESTION_COLUMN:  # ascending puts the children with a question first
            return 0 if row.child_id in self._questions else 1
        return _SORT_KEYS[column](row)

    def _in_order(self, lines: list[CaseloadLine]) -> list[CaseloadLine]:
        column, order = self._sorted_by
        if column == QUESTION_COLUMN:
            return _sorted(lines, lambda row: self._sort_key(row, column), order)
        return _sorted(lines, _SORT_KEYS[column], order)

    def _filtered(self, lines: list[CaseloadLine]) -> list[CaseloadLine]:
        needle = self._needle
        if not needle:
            return lines
        answer = QCoreApplication.translate("CaseloadModel", ANSWER_NEEDED).casefold()
        return [line for line in lines if needle in line.search
                or (needle in answer and line.row.child_id in self._questions)]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted in Python in one pass over the rows, keeping the selection."""

        def order_by() -> None:
            self._sorted_by = (column, order)
            self._ordered = self._in_order(self._ordered)
            self._lines = self._filtered(self._ordered)

        self._relayout(order_by)

    def _relayout(self, change: Callable[[], None]) -> None:
        """Re-order the rows; the view's current row and selection stay on the same child."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        children = [self._lines[index.row()].row.child_id
                    if index.isValid() and index.row() < len(self._lines) else None
                    for index in old]
        change()
        where = {line.row.child_id: number for number, line in enumerate(self._lines)}
        new = [self.index(where[child], index.column()) if child in where else QModelIndex()
               for index, child in zip(old, children, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def row_at(self, row: int) -> CaseloadRow:
        return self._lines[row].row

    def row_of(self, child_id: UUID) -> int | None:
        return next((number for number, line in enumerate(self._lines)
                     if line.row.child_id == child_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = DISPLAY) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == DISPLAY:
            return QCoreApplication.translate("CaseloadModel", str(self.COLUMNS[section]))
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        return self._value(self._lines[index.row()], index.column(), role)

    # complexity: a Qt model's data(): one branch per role and column
    def _value(self, line: CaseloadLine, column: int, role: int) -> Any:
        if role == DISPLAY:
            if column < QUESTION_COLUMN:
                return line.texts[column]
            return _answer_needed(self._questions.get(line.row.child_id))
        if role == SORT_ROLE:
            return self._sort_key(line.row, column)
        asked = self._questions.get(line.row.child_id)
        if asked:
            marked = self._question_marking(asked, column, role)
            if marked is not None:
                return marked
        if role == TOOLTIP and column == NEXT_DUE_COLUMN and line.overdue:
            return QCoreApplication.translate(
                "CaseloadModel", "Overdue: this child's statutory visit is late.")
        if role == FONT and ((column == NEXT_DUE_COLUMN and line.overdue)
                             or (asked and column in (0, QUESTION_COLUMN))):
            return self._bold
        return None

    def _question_marking(self, asked: list[ReturnedQuestion], column: int,
                          role: int) -> Any:
        """The whole row tinted, the marker in red, the question itself on hover."""
        if role == BACKGROUND:
            return QBrush(self._theme.alert_tint)
        if role == FOREGROUND and column in (0, QUESTION_COLUMN):
            return QBrush(self._theme.alert)
        if role == TOOLTIP and column in (0, QUESTION_COLUMN):
            return QCoreApplication.translate("CaseloadModel", "Your team lead asked: ") + \
                " / ".join(q.question for q in asked)
        return None


def _answer_needed(asked: list[ReturnedQuestion] | None) -> str:
    if not asked:
        return ""
    marker = QCoreApplication.translate("CaseloadModel", ANSWER_NEEDED)
    return marker if len(asked) == 1 else f"{marker} ({len(asked)})"
