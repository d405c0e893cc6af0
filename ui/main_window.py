"""The main window: the unlock screen while locked, the caseload once unlocked.

The window title never names a child or a family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from storage.caseload import CaseloadRow
from ui.caseload_model import SORT_ROLE, CaseloadModel
from ui.unlock_screen import UnlockScreen


@dataclass(frozen=True)
class Unlocked:
    """What the background unlock hands to the window: the open session and its caseload."""

    session: Any
    caseload: list[CaseloadRow]


class CaseloadScreen(QWidget):
    def __init__(self, today: date) -> None:
        super().__init__()
        self.model = CaseloadModel(today)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by child, case or plan")
        self.filter.setAccessibleName("Filter caseload")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setAccessibleName("Caseload")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Your caseload</h2>"))
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)

    def show_rows(self, rows: list[CaseloadRow]) -> None:
        self.model.set_rows(rows)
        overdue = sum(1 for r in rows if r.next_visit_due and r.next_visit_due < self.model._today)
        self.summary.setText(f"{len(rows)} children; {overdue} overdue a visit.")


class MainWindow(QMainWindow):
    locked = Signal()

    def __init__(self, unlock: Callable[[str], Unlocked], today: date, hint: str = "") -> None:
        """`unlock` runs off the UI thread: it opens the vault and reads the caseload."""
        super().__init__()
        self.setWindowTitle("Homevisit")
        self.session: Any = None
        self.unlock_screen = UnlockScreen(unlock, hint)
        self.unlock_screen.unlocked.connect(self._on_unlocked)
        self.caseload_screen = CaseloadScreen(today)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_screen)
        self.stack.addWidget(self.caseload_screen)
        self.setCentralWidget(self.stack)
        lock = QAction("Lock now", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        self.addAction(lock)
        self.menuBar().addMenu("&Vault").addAction(lock)
        self.resize(1000, 700)

    def _on_unlocked(self, unlocked: Unlocked) -> None:
        self.session = unlocked.session
        self.caseload_screen.show_rows(unlocked.caseload)
        self.stack.setCurrentWidget(self.caseload_screen)
        self.caseload_screen.table.setFocus()

    def lock(self) -> None:
        """Drop the vault and hide everything it showed."""
        if self.session is not None:
            self.session.close()
            self.session = None
        self.caseload_screen.show_rows([])
        self.caseload_screen.filter.clear()
        self.stack.setCurrentWidget(self.unlock_screen)
        self.unlock_screen.passphrase.setFocus()
        self.locked.emit()

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.lock()
        super().closeEvent(event)
