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
from ui.widgets.accessibility import announce
from ui.widgets.theme import colours


class FlagsPanel(QWidget):
    """The flags this visit leaves for each child, or a calm line when there are none."""

    def __init__(self, *, submitted: bool = False) -> None:
        super().__init__()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Flags your team lead will see for this visit"))
        self.list.setWordWrap(True)  # a flag is read whole, not cut off at the edge
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self._fill([])
        # What the worker has been told is flagged; None until the vault first answers.
        self._heard: set[str] | None = None
        self.answers = 0  # how often the vault has said what is flagged

    def set_submitted(self, submitted: bool) -> None:
        self.heading.setText(
            self.tr("<b>Flagged for your team lead</b>") if submitted else
            self.tr("<b>Your team lead will see these flags when you submit.</b> They do not "
                    "stop you submitting."))
        self.none.setText(self.tr("Nothing flagged.") if submitted else self.tr(
            "Nothing flagged so far. Flags show here as you answer."))

    def show_flags(self, flags: list[Flag]) -> None:
        self.answers += 1
        self._fill(flags)
        self._announce_change()

    def _announce_change(self) -> None:
        """Say a flag that appears or goes as the worker answers (not the ones already
        there when the visit opened: those are listed, not news)."""
        now = self.sentences()
        if self._heard is None:
            self._heard = set(now)
            return
        appeared = [s for s in now if s not in self._heard]
        gone = [s for s in self._heard if s not in now]
        self._heard = set(now)
        said = [self.tr("Now flagged: {flag}").format(flag=s) for s in appeared]
        said += [self.tr("No longer flagged: {flag}").format(flag=s) for s in sorted(gone)]
        if said:
            announce(self.list, " ".join(said))

    def _fill(self, flags: list[Flag]) -> None:
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
