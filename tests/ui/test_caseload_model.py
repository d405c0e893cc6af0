"""The caseload table with a full-size caseload: 5,000 children prepared off the UI thread,
sorted and filtered by the model in one pass, the worker's chosen child kept chosen."""

from __future__ import annotations

import sys
import uuid
from datetime import date, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from records.case import PlanType
from records.contracts import CaseloadRow
from records.flag_types import day_text
from ui.visit.caseload_model import prepare_caseload
from ui.visit.caseload_screen import CaseloadScreen

TODAY = date(2026, 11, 23)
PLANS = list(PlanType)


def caseload(children: int = 5000) -> list[CaseloadRow]:
    return [CaseloadRow(uuid.uuid4(), f"HV-{n:05}", f"Child{n:05} Nowak", PLANS[n % len(PLANS)],
                        TODAY - timedelta(days=n % 90), TODAY + timedelta(days=(n % 60) - 20),
                        (True, False, None)[n % 3])
            for n in range(children)]


def shown_screen(qtbot: QtBot, rows: list[CaseloadRow]) -> CaseloadScreen:
    screen = CaseloadScreen(lambda: TODAY)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    screen.show_rows(prepare_caseload(rows, TODAY))
    return screen


def test_one_child_is_one_child_not_one_children(qtbot: QtBot) -> None:
    screen = shown_screen(qtbot, caseload(1))
    assert screen.summary.text() == "1 child; 1 overdue a visit."


def test_typing_in_the_filter_keeps_the_chosen_child(qtbot: QtBot) -> None:
    rows = caseload()
    screen = shown_screen(qtbot, rows)
    assert screen.model.rowCount() == 5000
    assert screen.summary.text() == "5000 children; 1680 overdue a visit."
    chosen = rows[1234]
    screen.table.selectRow(screen.model.row_of(chosen.child_id) or 0)
    qtbot.keyClicks(screen.filter, "child0123")  # any case
    assert screen.model.rowCount() == 10
    assert all("Child0123" in screen.model.index(r, 0).data() for r in range(10))
    assert screen.selected_child() == chosen.child_id
    screen.filter.clear()
    assert screen.model.rowCount() == 5000
    assert screen.selected_child() == chosen.child_id
    qtbot.keyClicks(screen.filter, "HV-0499")
    assert [screen.model.row_at(r).case_reference for r in range(screen.model.rowCount())] \
        == [f"HV-0499{n}" for n in range(10)]


def test_sorting_keeps_the_chosen_child_and_overdue_stays_marked(qtbot: QtBot) -> None:
    rows = caseload()
    screen = shown_screen(qtbot, rows)
    chosen = rows[42]
    screen.table.selectRow(screen.model.row_of(chosen.child_id) or 0)
    screen.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = [screen.model.row_at(r).child_name for r in range(5000)]
    assert names == sorted(names, reverse=True)
    assert screen.selected_child() == chosen.child_id
    row = screen.model.row_of(rows[0].child_id)  # due 20 days ago
    assert row is not None
    overdue = screen.model.index(row, 4)
    assert overdue.data(Qt.ItemDataRole.FontRole).bold()
    assert "Overdue" in overdue.data(Qt.ItemDataRole.ToolTipRole)
    assert overdue.data().endswith("(overdue)")  # in words too: read out, no font needed


def test_a_reload_prepares_only_the_rows_that_changed() -> None:
    rows = caseload(100)
    first = prepare_caseload(rows, TODAY)
    changed = [*rows[:99], CaseloadRow(rows[99].child_id, "HV-NEW", "Changed", PLANS[0],
                                       None, None, None)]
    second = prepare_caseload(changed, TODAY, first)
    assert all(a is b for a, b in zip(first.lines[:99], second.lines[:99], strict=True))
    assert second.lines[99].texts[:2] == ("Changed", "HV-NEW")


def test_painting_a_big_caseload_again_and_again_does_not_wear_out_the_interpreter(
    qtbot: QtBot,
) -> None:
    """Painting must not wear down None's reference count (PySide6 6.12.0 did, through the
    void setters of a `multiData` override; tests/ui/test_qt_binding.py guards the binding)."""
    screen = shown_screen(qtbot, caseload())
    screen.table.viewport().repaint()
    before = sys.getrefcount(None)
    for _ in range(30):
        screen.table.viewport().repaint()
    assert sys.getrefcount(None) >= before - 100


def test_rows_come_sorted_from_the_lane_in_the_order_the_worker_chose(qtbot: QtBot) -> None:
    rows = caseload(300)
    screen = shown_screen(qtbot, rows)
    screen.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    reloaded = [*rows[1:], rows[0]]  # the vault's order is not the table's
    prepared = prepare_caseload(reloaded, TODAY, screen.model.prepared, screen.model.sorted_by)
    assert prepared.ordered is not None
    assert [line.row.case_reference for line in prepared.ordered][:2] == ["HV-00299", "HV-00298"]
    screen.show_rows(prepared)
    assert [screen.model.row_at(r).case_reference for r in range(3)] == \
        ["HV-00299", "HV-00298", "HV-00297"]
    screen.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # while the next one was read
    stale = prepare_caseload(rows, TODAY, prepared, (1, Qt.SortOrder.DescendingOrder))
    screen.show_rows(stale)
    names = [screen.model.row_at(r).child_name for r in range(300)]
    assert names == sorted(names)


def test_an_overdue_date_is_shown_whole_not_cut_to_its_bold(qtbot: QtBot) -> None:
    """At a laptop window's width the "(overdue)" words fit in their column: elided, the
    only sign left that a child's visit is late would be the bold."""
    from PySide6.QtGui import QFont, QFontMetrics

    from ui.visit.caseload_model import NEXT_DUE_COLUMN

    screen = shown_screen(qtbot, caseload(40))
    screen.resize(900, 600)
    qtbot.waitUntil(lambda: screen.table.viewport().width() < 900)
    overdue = [r for r in range(screen.model.rowCount())
               if screen.model.index(r, NEXT_DUE_COLUMN).data().endswith("(overdue)")]
    assert overdue
    bold = QFont(screen.table.font())
    bold.setBold(True)
    column = screen.table.columnWidth(NEXT_DUE_COLUMN)
    for row in overdue:
        text = screen.model.index(row, NEXT_DUE_COLUMN).data()
        assert QFontMetrics(bold).horizontalAdvance(text) + 8 <= column, text


def test_a_child_with_nothing_to_count_from_is_first_and_overdue(qtbot: QtBot) -> None:
    """Never seen, no plan or placement start: the team lead's flags say red; the caseload
    says it in words and counts it, never a blank."""
    rows = caseload(3)
    unknown = CaseloadRow(uuid.uuid4(), "HV-99999", "Lena Nowak", PlanType.CHILD_PROTECTION,
                          None, None, None)
    screen = shown_screen(qtbot, [*rows, unknown])
    assert screen.model.row_at(0).child_name == "Lena Nowak"
    assert screen.model.index(0, 4).data() == "No start date (overdue)"
    overdue = sum(1 for line in screen.model.prepared.lines if line.overdue)
    assert f"4 children; {overdue} overdue a visit." == screen.summary.text()
    assert any(line.row is unknown and line.overdue for line in screen.model.prepared.lines)


def test_days_read_as_every_flag_names_them_with_the_weekday(qtbot: QtBot) -> None:
    """"Tue 3 Nov 2026": the day as the flags name it (`day_text`, never the locale Qt sets),
    with its weekday to plan visits by; not "Tue 03 Nov 2026" beside a flag's "3 Nov 2026"."""
    from ui.visit.caseload_model import NEXT_DUE_COLUMN

    row = CaseloadRow(uuid.uuid4(), "HV-1", "Ana Nowak", PlanType.CHILD_PROTECTION,
                      date(2026, 11, 3), date(2026, 11, 17), True)
    screen = shown_screen(qtbot, [row])
    last_seen = screen.model.index(0, NEXT_DUE_COLUMN - 1).data()
    assert last_seen == f"Tue {day_text(date(2026, 11, 3))}" == "Tue 3 Nov 2026"
    assert screen.model.index(0, NEXT_DUE_COLUMN).data().startswith("Tue 17 Nov 2026")
