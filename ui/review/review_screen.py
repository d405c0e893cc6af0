"""The team lead's screen: the review queue, the dashboard, and one child's chronology.

The queue lists the team's synced visits red first, then the oldest, across the screen's
whole width; choosing one shows the whole note read-only below it with the flags it raised,
and the decisions: Sign off, Return with a comment that reaches the worker at their next
sync, or Escalate (what to, in the comment). The decisions act only on the note shown:
while another visit opens, or when it cannot, they are off and the note is cleared. Every
read and write goes through the vault lane; a refusal is shown in the screen, never as a
traceback.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from records.contracts import (
    ChildAlert,
    ChildToSee,
    Dashboard,
    LaptopWipe,
    QueueRow,
    WorkerLoad,
)
from records.flag_types import day_text, local_day
from records.thresholds import FlagThresholds
from records.visit import ENGLAND
from records.wording import counted, percent
from ui.review.child_review import ChildReview, error_text
from ui.review.chronology import (
    ChronologyView,
    WrappedList,
)
from ui.review.review_alerts_model import ChildAlertModel
from ui.review.review_queue_model import (
    CHILD_COLUMN,
    WHY_FIRST_COLUMN,
    WIDEST,
    ReviewQueueModel,
    VisitIdRole,
)
from ui.review_services import Chronology, ReviewNote, ReviewServices
from ui.widgets.accessibility import MessageLabel, heading
from ui.widgets.background import op
from ui.widgets.body_map import BodyMap
from ui.widgets.figures import add_figures
from ui.widgets.midnight import Midnight
from ui.widgets.theme import colours
from ui.widgets.visit_pdf import visit_html

WORKER_COLUMNS = ("Worker", "Children", "Child protection", "Child in need", "Looked after",
                  "Overdue", "Seen within timescale (visits, 3 months)", "Visits awaiting sign-off",
                  "Last device sync")


_message = error_text


CELL_PADDING = 24
"""Room a queue cell needs beside its text (the delegate's margins and the grid), in px."""


class ReviewScreen(ChildReview, QWidget):
    decided = Signal(object)  # visit id
    note_shown = Signal(object)  # visit id
    note_failed = Signal(object)  # visit id
    chronology_shown = Signal(object)  # child id

    def __init__(self, services: ReviewServices, today: date | Callable[[], date], *,
                 thresholds: FlagThresholds | None = None) -> None:
        """`today`: the clock's day (asked at each reading of the queue, and a minute after
        each midnight: "Waiting" and the latest supervision date move on with it), or a
        fixed day."""
        super().__init__()
        self.services = services
        self.clock: Callable[[], date] = today if callable(today) else (lambda: today)
        self.today = self.clock()
        self.thresholds = thresholds or FlagThresholds()
        """The council's: the dashboard shows caseload pressure by `over_caseload`."""
        self.current: ReviewNote | None = None
        self._opening: UUID | None = None  # the visit whose note was asked for last
        self._note_problem = False  # the message says why a note could not open
        self.chronology: Chronology | None = None
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Review: queue, dashboard and child"))
        self.message = MessageLabel(self.tr("Message"), assertive=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs)
        self._build_queue()
        self._build_dashboard()
        self._build_child()
        Midnight(self).passed.connect(self.reload)

    # --- building -----------------------------------------------------------------------

    def _build_queue(self) -> None:
        self.model = ReviewQueueModel(self.services, self.today)
        self.model.failed.connect(self._failed)
        self.model.loaded.connect(self._queue_loaded)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)  # one line a visit; a cut-off name has its tooltip
        self.table.verticalHeader().setVisible(False)
        self._size_queue_columns()
        self.table.setAccessibleName(self.tr("Review queue"))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.note = QTextBrowser()
        self.note.setAccessibleName(self.tr("Visit note, read-only"))
        # Tab leaves the note for the comment (it had walked the note's links first).
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction
                                          & ~Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(self.tr("Choose a visit in the queue to read its note."))
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr(
            "Comment. To return the visit, write the question the worker must answer."))
        self.comment.setAccessibleName(self.tr("Comment for the worker"))
        self.comment.setTabChangesFocus(True)  # Tab goes on to the decisions, not a tab stop
        self.sign_off_button = QPushButton(self.tr("&Sign off"))
        self.return_button = QPushButton(self.tr("Return with co&mment"))
        self.escalate_button = QPushButton(self.tr("&Escalate"))
        self.escalate_button.setToolTip(self.tr(
            "Record that you escalated this visit (a strategy discussion, a child protection "
            "enquiry, legal advice): write what to in the comment."))
        self.child_button = QPushButton(self.tr("&Chronology of this child"))
        for button in (self.sign_off_button, self.return_button, self.escalate_button,
                       self.child_button):
            button.setEnabled(False)
        self.sign_off_button.clicked.connect(self.sign_off)
        self.return_button.clicked.connect(self.return_with_comment)
        self.escalate_button.clicked.connect(self.escalate)
        self.child_button.clicked.connect(self._open_child_of_note)
        # The queue takes the screen's width (its columns are whole at the default window
        # size); the note sits below it, the comment and decisions beside the note.
        decide = QWidget()
        side = QVBoxLayout(decide)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.comment, 1)
        for button in (self.sign_off_button, self.return_button, self.escalate_button,
                       self.child_button):
            side.addWidget(button)
        decide.setMaximumWidth(300)
        below = QWidget()
        pane = QHBoxLayout(below)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.addWidget(self.note, 1)
        pane.addWidget(decide)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(below)
        split.setStretchFactor(1, 1)
        split.setSizes([250, 380])
        self.count_label = QLabel()
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.count_label)
        box.addWidget(split, 1)
        self.tabs.addTab(page, self.tr("&Queue"))

    def _size_queue_columns(self) -> None:
        """Short columns as wide as their widest possible text, so none is cut off; the
        child's names get a fixed share and the reason it is first the rest."""
        header = self.table.horizontalHeader()
        metrics = QFontMetrics(self.table.font())
        for column, samples in WIDEST.items():
            wanted = max(metrics.horizontalAdvance(self.model.tr(text)) for text in samples)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, max(wanted + CELL_PADDING,
                                                  header.sectionSizeHint(column)))
        header.setSectionResizeMode(CHILD_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(CHILD_COLUMN, metrics.horizontalAdvance("M" * 14))
        header.setSectionResizeMode(WHY_FIRST_COLUMN, QHeaderView.ResizeMode.Stretch)

    def _build_dashboard(self) -> None:
        self.workers = QTableWidget(0, len(WORKER_COLUMNS))
        self.workers.setHorizontalHeaderLabels([self.tr(c) for c in WORKER_COLUMNS])
        self.workers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.workers.setAccessibleName(self.tr("Caseload per worker"))
        self.workers.verticalHeader().setVisible(False)
        # A row a worker: each column as wide as its heading or figures, none cut off.
        self.workers.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.workers.horizontalHeader().setStretchLastSection(True)
        self.not_alone_model, self.injured_model = ChildAlertModel(), ChildAlertModel()
        self.red_model = ChildAlertModel()
        self.not_alone, self.injured, self.red = QListView(), QListView(), QListView()
        self.red.setAccessibleName(self.tr("Every child with a red flag, visited or not"))
        for listing, model in ((self.not_alone, self.not_alone_model),
                               (self.injured, self.injured_model), (self.red, self.red_model)):
            listing.setModel(model)
            listing.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            listing.setUniformItemSizes(True)
            listing.activated.connect(self._open_child_index)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(heading(self.tr("Per worker"), 4))
        box.addWidget(self.workers)
        box.addWidget(heading(self.tr("Every child with a red flag, visited or not, most "
                                     "serious first"), 4))
        box.addWidget(self.red)
        lists = QHBoxLayout()
        self.injured_heading, self.not_alone_heading = heading("", 4), heading("", 4)
        self._show_injury_window(90)  # until the dashboard says the council's
        self._show_not_alone_visits(2)
        for title, listing in ((self.not_alone_heading, self.not_alone),
                               (self.injured_heading, self.injured)):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(listing)
            lists.addLayout(column)
        box.addLayout(lists)
        self.tabs.addTab(page, self.tr("&Dashboard"))

    def _build_child(self) -> None:
        self.timeline = ChronologyView()
        self.body_map = BodyMap()
        self.body_map.read_only = True
        self.injury_list = WrappedList()
        self.injury_list.setAccessibleName(self.tr("Injuries on record, dated"))
        self.flag_list = WrappedList()
        self.flag_list.setAccessibleName(self.tr("Flags for this child"))
        self.pdf_button = QPushButton(self.tr("Save chronology as &PDF…"))
        self.pdf_button.setEnabled(False)
        self.pdf_button.setVisible(self.services.pdf_allowed)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.supervision_button = QPushButton(self.tr("Record s&upervision…"))
        self.supervision_button.clicked.connect(self.record_supervision)
        self.considered_button = QPushButton(self.tr("Record a decision on a repeated "
                                                     "co&ncern…"))
        self.considered_button.clicked.connect(self.record_concern_considered)
        for button in (self.supervision_button, self.considered_button):
            button.setEnabled(False)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.timeline)
        row = QHBoxLayout()
        row.addWidget(self.body_map, 1)
        right = QVBoxLayout()
        right.addWidget(heading(self.tr("Injuries, every visit"), 4))
        right.addWidget(self.injury_list)
        right.addWidget(heading(self.tr("Flags now"), 4))
        right.addWidget(self.flag_list)
        right.addWidget(self.considered_button)
        right.addWidget(self.supervision_button)
        right.addWidget(self.pdf_button)
        row.addLayout(right, 1)
        box.addLayout(row)
        self.tabs.addTab(page, self.tr("C&hild"))

    # --- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Index what the last pull brought, then read the queue and the dashboard again.

        Then, a chunk at a time on the vault lane, children whose date-only flags are from
        an earlier day are recomputed, and the screen is read again once they all are: the
        first look of the day never waits for the whole team.
        """
        services = self.services
        op(self, services.refresh_review).success(lambda _: self._read(stale=True)).failure(
            self._failed).run()

    def check_day(self) -> None:
        """Read again if the day turned unseen (a suspend through midnight stops the
        midnight timer): asked when the window is activated."""
        if self.clock() != self.today:
            self.reload()

    def _read(self, *, stale: bool = False) -> None:
        self.today = self.clock()
        self.model.set_today(self.today)
        self.model.reload()
        op(self, self.services.dashboard).success(self.show_dashboard).failure(self._failed).run()
        if stale:
            self._refresh_stale(0)

    def _refresh_stale(self, so_far: int) -> None:
        def chunk_done(count: int) -> None:
            if count:
                self._refresh_stale(so_far + count)
            elif so_far:
                self._read()

        op(self, self.services.refresh_stale).success(chunk_done).failure(self._failed).run()

    def _queue_loaded(self) -> None:
        red = sum(1 for r in self.model.rows if r.rank == 0)
        total, shown = self.model.total, len(self.model.rows)
        if total == 0:
            text = self.tr("No visits to review.")
        elif total == 1:
            text = self.tr("1 visit to review; it has red flags.") if red else \
                self.tr("1 visit to review.")
        elif shown < total:  # the queue is read a page at a time
            text = self.tr("{0} visits to review; {1} of the first {2} have red flags.") \
                .format(total, red, shown)
        else:
            text = self.tr("{0} visits to review; {1} have red flags.").format(total, red)
        self.count_label.setText(text)

    def show_dashboard(self, dashboard: Dashboard) -> None:
        self.workers.setRowCount(len(dashboard.workers))
        for row, load in enumerate(dashboard.workers):
            values: list[Any] = [load.who, load.children, load.child_protection,
                                 load.child_in_need, load.looked_after, load.overdue,
                                 self._on_time(load), load.awaiting_sign_off,
                                 self._last_sync(load)]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(str(value))
                if column == len(values) - 1 and (load.unsynced_hours is not None
                                                  or load.refused_laptops):
                    cell.setForeground(colours().amber)
                if column == 1 and self.thresholds.over_caseload(load.children):
                    cell.setText(self.tr("{0} — over {1}").format(
                        load.children, self.thresholds.caseload_children_per_worker))
                    cell.setForeground(colours().amber)
                self.workers.setItem(row, column, cell)
        self.not_alone_model.replace(dashboard.not_seen_alone_in_a_row)
        self.injured_model.replace(dashboard.injured_recently)
        self._show_injury_window(dashboard.injury_window_days)
        self._show_not_alone_visits(dashboard.not_seen_alone_visits)
        self.red_model.replace([ChildAlert(c.child_id, c.name, c.worker, self._red_detail(c),
                                           c.worker_name)
                                for c in dashboard.red_children])

    def _on_time(self, load: WorkerLoad) -> str:
        if not load.seen_recently:
            return self.tr("no visits")
        share = percent(load.seen_on_time_recently, load.seen_recently)
        return self.tr("{0}% ({1} of {2})").format(share, load.seen_on_time_recently,
                                                  load.seen_recently)

    def _red_detail(self, child: ChildToSee) -> str:
        seen = (self.tr("never seen") if child.last_seen is None
                else self.tr("last seen {0}").format(day_text(child.last_seen)))
        alone = {True: self.tr(", alone"), False: self.tr(", not alone"), None: ""}
        return f"{child.headline} ({seen}{alone[child.seen_alone_when_last_seen]})"

    def _last_sync(self, load: WorkerLoad) -> str:
        contact = load.last_device_contact
        if contact is None:
            said = self.tr("not known")
        else:
            when = contact.astimezone(ENGLAND)
            said = (f"{when:%d %b %Y %H:%M}" if load.unsynced_hours is None
                    else (self.tr("{0} — not synced for 1 hour") if load.unsynced_hours == 1
                          else self.tr("{0} — not synced for {1} hours")).format(
                        f"{when:%d %b %Y %H:%M}", load.unsynced_hours))
        parts = [said, *(self._wipe(wipe) for wipe in load.laptop_wipes)]
        if load.waiting_on_refused:
            parts.append(self.tr("1 record waiting on a revoked laptop")
                         if load.waiting_on_refused == 1
                         else self.tr("{0} records waiting on a revoked laptop").format(
                             load.waiting_on_refused))
        elif load.refused_laptops > len(load.laptop_wipes):
            parts.append(self.tr("a laptop revoked"))
        return "; ".join(parts)

    def _wipe(self, wipe: LaptopWipe) -> str:
        """A lost laptop's wipe, as central said: done and what it cost, or not yet."""
        if wipe.wiped_at is None:
            return self.tr("laptop reported lost: wipe ordered, not yet done")
        when = wipe.wiped_at.astimezone(ENGLAND)
        return self.tr("laptop wiped at {0}, {1} recovered before the erase, {2} lost").format(
            f"{when:%d %b %Y %H:%M}", counted(wipe.recovered, 'record'), wipe.lost or 0)

    # --- the note and the decision -------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.open_note(indexes[0].data(VisitIdRole))

    def open_note(self, visit_id: UUID) -> None:
        # Until this visit's note is shown, a decision must not reach the one shown before.
        self._opening = visit_id
        self._decisions_off()

        def failed(error: Exception) -> None:
            self._note_failed(visit_id, error)

        op(self, lambda: self.services.review_note(visit_id)).success(self.show_note).failure(
            failed).run()

    def _decisions_off(self) -> None:
        self.current = None
        for button in (self.sign_off_button, self.return_button, self.escalate_button,
                       self.child_button):
            button.setEnabled(False)

    def _note_failed(self, visit_id: UUID, error: Exception) -> None:
        """The chosen visit cannot be shown: say so, and leave no other visit to decide on."""
        if visit_id != self._opening:
            return  # another visit was chosen meanwhile
        self._decisions_off()
        self.note.clear()
        self._note_problem = True
        self.message.setText(_message(error))
        self.note_failed.emit(visit_id)

    # complexity: fills one note's view; the branches are stale-answer guards
    def show_note(self, note: ReviewNote) -> None:
        if self._opening is not None and note.row.visit_id != self._opening:
            return  # a later choice is on its way
        if self._note_problem:
            self.message.clear()
            self._note_problem = False
        self.current = note
        # A visit to several children: say whose each flag is (some sentences name nobody).
        names = {c.id: f"{c.given_name}: " for c in note.opened.children} \
            if len(note.opened.children) > 1 else {}
        flags = "".join(
            f"<li><b>{f.severity.value.upper()}</b> "
            f"{html.escape(names.get(f.child_id, '') + f.reason)}</li>"
            for f in note.flags) or "<li>No flags.</li>"
        decisions = "".join(
            f"<li>{day_text(local_day(d.decided_at))}: "
            f"{html.escape(d.outcome.value.replace('_', ' '))}"
            f" by {html.escape(d.reviewer)}"
            + (f" — “{html.escape(d.comment)}”" if d.comment else "") + "</li>"
            for d in note.decisions)
        document = QTextDocument()
        body, figures = visit_html(note.opened)
        add_figures(document, figures)
        self.note.setDocument(document)
        document.setHtml(f"<h2>Flags</h2><ul>{flags}</ul>"
                         + (f"<h2>Decisions</h2><ul>{decisions}</ul>" if decisions else "")
                         + body)
        self._decisions_for(note)
        self.child_button.setEnabled(bool(note.opened.children))
        self.note_shown.emit(note.row.visit_id)

    def _show_injury_window(self, days: int) -> None:
        """The injured list's heading and name say its window: the council's
        (`repeat_injury_window_days`), as central's list says it."""
        self.injured_heading.setText(
            f"<h4>{html.escape(self.tr('Injuries in the last {0} days').format(days))}</h4>")
        self.injured.setAccessibleName(
            self.tr("Children with injuries in the last {0} days").format(days))

    def _show_not_alone_visits(self, visits: int) -> None:
        """The not-seen-alone list's heading and name say the council's count of visits in a
        row (`not_seen_alone_red_streak`, where the flag turns red), as central's list says
        it."""
        last = counted(visits, "visit")
        self.not_alone_heading.setText(
            f"<h4>{html.escape(self.tr('Not seen alone at their last {0}').format(last))}</h4>")
        self.not_alone.setAccessibleName(
            self.tr("Children not seen alone at their last {0}").format(last))

    def _decisions_for(self, note: ReviewNote) -> None:
        """The decisions open on the visit shown."""
        open_ = note.row.decision in ("awaiting", "answered", "returned")
        self.sign_off_button.setEnabled(open_)
        self.escalate_button.setEnabled(open_)
        self.return_button.setEnabled(open_ and note.row.decision != "returned")

    def sign_off(self) -> None:
        if self.current is None:
            return
        visit_id, comment = self.current.row.visit_id, self.comment.toPlainText()
        self._decide(visit_id, lambda: self.services.sign_off(visit_id, comment))

    def return_with_comment(self) -> None:
        if self.current is None:
            return
        visit_id, question = self.current.row.visit_id, self.comment.toPlainText()
        if not question.strip():
            self.message.setText(self.tr("Write the question the worker must answer, then "
                                         "press Return with comment. Nothing was sent."))
            self.comment.setFocus()
            return
        self._decide(visit_id, lambda: self.services.return_with_question(visit_id, question))

    def escalate(self) -> None:
        if self.current is None:
            return
        visit_id, escalation = self.current.row.visit_id, self.comment.toPlainText()
        if not escalation.strip():
            self.message.setText(self.tr("Write in the comment what you escalated the visit to "
                                         "(a strategy discussion, a child protection enquiry), "
                                         "then press Escalate. Nothing was sent."))
            self.comment.setFocus()
            return
        self._decide(visit_id, lambda: self.services.escalate(visit_id, escalation))

    def _decide(self, visit_id: UUID, work: Any) -> None:
        self.sign_off_button.setEnabled(False)
        self.return_button.setEnabled(False)
        self.escalate_button.setEnabled(False)

        def done(row: QueueRow | None) -> None:
            self.comment.clear()
            self.model.replace_row(row, visit_id)
            self.message.setText(self.tr("Decision saved; it goes to central at the next sync."))
            self.decided.emit(visit_id)
            if row is not None and row.decision not in ("signed_off", "escalated"):
                self.open_note(visit_id)

        op(self, work).success(done).failure(self._failed).run()

    def _failed(self, error: Exception) -> None:
        """The decision was not recorded: say why, and offer the decisions again."""
        self.message.setText(_message(error))
        if self.current is not None:
            self._decisions_for(self.current)

