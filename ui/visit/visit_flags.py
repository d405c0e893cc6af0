"""What the team lead will see flagged: the worker's view of `records.flags` for this visit.

The editor asks the vault (off the UI thread) which flags this visit would leave for each
child if it were submitted now, and lists them here, red first, in the worker's words
("Ana was not seen alone at the last visit either"). They never stop a submission: they
say what the team lead will be asked to look at, while there is still time to explain.

The panel keeps its place and its size whether or not anything is flagged: appearing and
going as the worker answered had moved the whole form under their cursor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from records.flag_types import Flag, Severity
from ui.widgets.theme import colours


class FlagsPanel(QWidget):
    """The flags this visit leaves for each child, or a calm line when there are none."""

    def __init__(self, *, submitted: bool = False) -> None:
        super().__init__()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Flags your team lead will see for this visit"))
        self.none = QLabel()
        self.none.setWordWrap(True)
        self.none.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.shown = QStackedWidget()
        self.shown.addWidget(self.none)
        self.shown.addWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.shown, 1)
        self.set_submitted(submitted)
        self.show_flags([])

    def set_submitted(self, submitted: bool) -> None:
        self.heading.setText(
            self.tr("<b>Flagged for your team lead</b>") if submitted else
            self.tr("<b>Your team lead will see these flags when you submit.</b> They do not "
                    "stop you submitting."))
        self.none.setText(self.tr("Nothing flagged.") if submitted else self.tr(
            "Nothing flagged so far. Flags show here as you answer."))

    def show_flags(self, flags: list[Flag]) -> None:
        self.list.clear()
        words = {Severity.RED: self.tr("Red"), Severity.AMBER: self.tr("Amber")}
        theme = colours()
        for flag in sorted(flags, key=lambda f: f.severity.rank):
            item = QListWidgetItem(f"{words[flag.severity]}: {flag.worker_sentence}")
            item.setForeground(QBrush(
                theme.alert if flag.severity is Severity.RED else theme.amber))
            item.setToolTip(self.tr("Why this is flagged: {source}").format(source=flag.source))
            item.setData(Qt.ItemDataRole.UserRole, flag.code.value)
            self.list.addItem(item)
        self.shown.setCurrentWidget(self.list if flags else self.none)

    @property
    def flagged(self) -> bool:
        return self.list.count() > 0

    def sentences(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]
