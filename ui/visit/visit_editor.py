"""The visit editor: one tab per part of the record and one per child, autosaved.

A draft is saved every few seconds while it changes, and again before a lock or close.
Submitting asks the vault, which applies records/ rules; every problem it returns is
shown beside its field and in a list at the top, and the first one is focused. A
submitted visit opens read-only, with "Add addendum" and (if policy allows) a PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from records.contracts import ListsProblems, StoredVisit
from records.flag_types import Flag
from records.validation import problems_before_submit
from records.visit import Interpreter, InterpreterKind, Visit
from ui.services import YOU_ELSEWHERE, OpenedVisit, VisitServices
from ui.visit.addenda import AddendaPanel, AddendumDialog
from ui.visit.autosave import UNEXPECTED, Autosave
from ui.visit.child_page import ChildPage
from ui.visit.draft_flags import answered_flags
from ui.visit.essentials import EssentialsPage
from ui.visit.household_sections import AnalysisPage, HomeAndRiskPage
from ui.visit.injury_form import PhotoAdder
from ui.visit.photo_viewer import PhotoSource
from ui.visit.problem_navigation import ProblemNavigation, first_field, problems_from
from ui.visit.returned_question import ANSWER_REASON, VisitEscalatedBanner, VisitQuestionBanner
from ui.visit.validation_text import problem_text, refused_text
from ui.visit.visit_flags import FlagsPanel
from ui.visit.visit_sections import PeoplePage, VisitDetailsPage
from ui.widgets.accessibility import MessageLabel, announce, heading
from ui.widgets.background import op, quietly
from ui.widgets.deferred_page import DeferredSection
from ui.widgets.focus import focus_kept
from ui.widgets.form import merged

AUTOSAVE_MS = 3000
NOT_CLOSED = ("Not closed: an answer cannot be saved as it is (listed above). Put it right, "
              "then close; what was saved before is still in the vault.")
FLAGS_AFTER_TYPING_MS = 250  # flags follow an answer within 300 ms, not mid-word
NOTICES_HEIGHT = 150  # problems and flags: one fixed strip, so the form never moves
FIRST_JOBS_AT_THE_LATEST_MS = 250  # for an editor not painted (hidden) by then


def interpreter_problem(kind: InterpreterKind | None) -> str:
    """The records' own refusal of a family or child interpreter, shown as soon as chosen."""
    probe = Visit.model_construct(id=UUID(int=0), case_id=UUID(int=0),
                                  interpreter=Interpreter(kind=kind, name="-"))
    found = [p for p in problems_before_submit(probe, {}, now=datetime.now(UTC))
             if p.field == "interpreter.kind"]
    return problem_text(found[0]) if found else ""


class VisitEditor(ProblemNavigation, Autosave, QWidget):
    """One visit, editable while a draft, read-only once submitted."""

    closed = Signal()
    submitted = Signal(object)  # StoredVisit
    saved = Signal()
    question_answered = Signal(object)  # review id the worker's addendum answers

    # complexity: builds the editor once; its branches are read-only vs editable screens
    def __init__(self, services: VisitServices, opened: OpenedVisit, *,
                 photos_allowed: bool = False, pdf_allowed: bool = False,
                 autosave_ms: int = AUTOSAVE_MS,
                 export_pdf: Callable[[VisitEditor], None] | None = None) -> None:
        super().__init__()
        self.services = services
        self.opened = opened
        self.visit = opened.visit
        self.read_only = opened.submitted
        self.dirty = False
        self._saving = False
        self._export_pdf = export_pdf
        on = self.visit.visit_date or datetime.now(UTC).date()
        children = {c.id: c for c in opened.children}
        add_photo: PhotoAdder | None = self._add_photo if photos_allowed else None
        self.photos = PhotoSource(services)

        # Results are announced as they come; a submitted visit's focus lands here, so the
        # first thing read after submitting is what happened.
        self.status = MessageLabel(self.tr("Visit status"), assertive=True)
        self.status.setWordWrap(False)
        self.status.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.problem_list = QListWidget()
        self.problem_list.setAccessibleName(self.tr("Problems to put right before submitting"))
        self.problem_list.itemActivated.connect(self._go_to_problem)
        self.problem_list.setWordWrap(True)  # a long sentence wraps, not a sideways scroll
        self.problem_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.no_problems = QLabel(self.tr(
            "Anything still missing is listed here when you submit (Ctrl+Enter)."))
        self.no_problems.setWordWrap(True)
        self.no_problems.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problems_shown = QStackedWidget()
        self.problems_shown.addWidget(self.no_problems)
        self.problems_shown.addWidget(self.problem_list)
        self.flags_panel = FlagsPanel(submitted=self.read_only)
        self.notices = QWidget()
        self.notices.setFixedHeight(NOTICES_HEIGHT)
        # "Before you can submit" means nothing on a submitted visit: hidden there, and the
        # flags have the whole strip.
        self.problems_part = QWidget()
        problems_box = QVBoxLayout(self.problems_part)
        problems_box.setContentsMargins(0, 0, 0, 0)
        problems_box.addWidget(heading(self.tr("Before you can submit"), 4))
        problems_box.addWidget(self.problems_shown, 1)
        self.problems_part.setVisible(not self.read_only)
        strip = QHBoxLayout(self.notices)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addWidget(self.problems_part, 1)
        strip.addWidget(self.flags_panel, 1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Parts of the visit"))
        self.tabs.setUsesScrollButtons(True)
        # Each tab is built when first shown: opening a visit builds only the first one.
        self._details = DeferredSection(VisitDetailsPage)
        self._people = DeferredSection(lambda: PeoplePage(interpreter_problem))
        self.child_pages: list[ChildPage] = []
        for observation in self.visit.children:
            child = children.get(observation.child_id)
            if child is None:
                continue
            page = ChildPage(child, on, opened.earlier_injuries.get(child.id, []),
                             lambda: self.details.form.value("worker"), add_photo, self.photos,
                             opened.notifications.get(child.id, []))
            page.body_map_wanted.connect(lambda page=page: self._show_body_map(page))
            self.child_pages.append(page)
        groups = [page.essentials for page in self.child_pages]
        self._essentials = DeferredSection(lambda: EssentialsPage(groups))
        self.tabs.addTab(self._essentials, self.tr("Essentials"))
        self.tabs.addTab(self._details, self.tr("Visit"))
        self.tabs.addTab(self._people, self.tr("People and language"))
        for page in self.child_pages:
            self.tabs.addTab(page, page.child.given_name)
        self._home = DeferredSection(HomeAndRiskPage)
        self._analysis = DeferredSection(AnalysisPage)
        self.tabs.addTab(self._home, self.tr("Home and risk"))
        self.tabs.addTab(self._analysis, self.tr("Analysis and actions"))
        self.tabs.currentChanged.connect(self._build_tab)

        self.submit_button = QPushButton(self.tr("&Submit visit"))
        self.submit_button.setToolTip(self.tr("Ctrl+Return"))
        # Not Tab stops: Tab past the last question had landed on them, where a stray
        # Space saved and closed. Alt+S / Ctrl+Return and Alt+C reach them on purpose.
        self.submit_button.clicked.connect(self.submit)
        self.close_button = QPushButton(self.tr("Save and &close") if not self.read_only
                                        else self.tr("&Close"))
        self.close_button.clicked.connect(self.close_editor)
        for deliberate in (self.submit_button, self.close_button):
            deliberate.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            deliberate.setProperty("reached_by", deliberate.text())
        self.pdf_button = QPushButton(self.tr("Save as &PDF…"))
        # Another worker's visit, pulled from central: to read, not to add to or print.
        theirs = bool(opened.recorded_by)
        self.pdf_button.setVisible(self.read_only and pdf_allowed and not theirs)
        self.pdf_button.clicked.connect(self._pdf)
        self.addenda = AddendaPanel(services, self.visit.id, opened.addenda, opened.addendum_draft)
        self.addenda.setVisible(self.read_only)
        self.addenda.add_button.setVisible(not theirs)
        self.question_banner: VisitQuestionBanner | None = None
        if self.read_only and opened.open_question is not None:
            self.question_banner = VisitQuestionBanner(opened.open_question)
            self.question_banner.answer_clicked.connect(self.answer_question)
        self.escalated_banner: VisitEscalatedBanner | None = None
        if self.read_only and opened.escalations:
            self.escalated_banner = VisitEscalatedBanner(opened.escalations)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        if self.question_banner is not None:
            layout.addWidget(self.question_banner)
        if self.escalated_banner is not None:
            layout.addWidget(self.escalated_banner)
        layout.addLayout(buttons)
        layout.addWidget(self.notices)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.addenda)
        submit_key = QShortcut(QKeySequence("Ctrl+Return"), self)
        submit_key.activated.connect(self.submit)
        QShortcut(QKeySequence("Ctrl+PgDown"), self).activated.connect(lambda: self.go_to(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self).activated.connect(lambda: self.go_to(-1))
        QShortcut(QKeySequence("Ctrl+Tab"), self).activated.connect(lambda: self.go_to(1))
        QShortcut(QKeySequence("Ctrl+Shift+Tab"), self).activated.connect(
            lambda: self.go_to(-1))
        QShortcut(QKeySequence("Ctrl+Shift+Backtab"), self).activated.connect(
            lambda: self.go_to(-1))
        self.autosave = QTimer(self)
        self.autosave.setInterval(autosave_ms)
        self.autosave.timeout.connect(self._autosave)
        self.flags_timer = QTimer(self)
        self.flags_timer.setSingleShot(True)
        self.flags_timer.setInterval(FLAGS_AFTER_TYPING_MS)
        self.flags_timer.timeout.connect(self.refresh_flags)
        self._load(self.visit)
        self._set_read_only(self.read_only)
        for any_page in self._pages():
            any_page.on_change(self._changed)
        if not self.read_only:
            self.autosave.start()
        # The lane's first jobs (next visit due, flags) wait for the editor's first frame:
        # run alongside the building and painting, their Python held up both for the GIL.
        self._first_jobs_asked = False
        QTimer.singleShot(FIRST_JOBS_AT_THE_LATEST_MS, self._ask_the_lane_first)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._first_jobs_asked:
            QTimer.singleShot(0, self._ask_the_lane_first)

    def _ask_the_lane_first(self) -> None:
        if self._first_jobs_asked:
            return
        self._first_jobs_asked = True
        if not self.read_only:
            self._refresh_next_due()
        self.refresh_flags()

    @property
    def essentials(self) -> EssentialsPage:
        page: EssentialsPage = self._essentials.page
        return page

    @property
    def details(self) -> VisitDetailsPage:
        page: VisitDetailsPage = self._details.page
        return page

    @property
    def people(self) -> PeoplePage:
        page: PeoplePage = self._people.page
        return page

    @property
    def home(self) -> HomeAndRiskPage:
        page: HomeAndRiskPage = self._home.page
        return page

    @property
    def analysis(self) -> AnalysisPage:
        page: AnalysisPage = self._analysis.page
        return page

    def _sections(self) -> list[DeferredSection]:
        return [self._essentials, self._details, self._people, self._home, self._analysis]

    def _show_body_map(self, page: ChildPage) -> None:
        """From a child's essentials: their body map, current, focused on the map."""
        self.tabs.setCurrentWidget(page)
        page.show_body_map()

    def _build_tab(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, DeferredSection):
            tab.page  # noqa: B018 - built on first use
        elif isinstance(tab, ChildPage):
            tab.seen  # noqa: B018

    def _show_next_due(self, due: date | None) -> None:
        self._analysis.when_built(lambda page: page.show_next_due(due))

    def go_to(self, step: int) -> None:
        """Next or previous section, focused on its first field (Ctrl+PgDown / Ctrl+PgUp)."""
        index = (self.tabs.currentIndex() + step) % self.tabs.count()
        self.tabs.setCurrentIndex(index)
        self._build_tab(index)
        first = first_field(self.tabs.widget(index) or self.tabs)
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)

    # --- loading and reading back ------------------------------------------------------

    def _pages(self) -> list[Any]:
        return [*self._sections(), *self.child_pages]

    def _load(self, visit: Visit) -> None:
        data = visit.model_dump()
        self._base = data
        for section in self._sections():
            section.load(data)
        for page, observation in zip(self.child_pages, data["children"], strict=False):
            page.load(observation)
        self._show_next_due(visit.next_visit_due)
        self.dirty = False
        self._show_status()

    def current_visit(self) -> Visit:
        """The visit as the widgets now show it; raises ValidationError if it cannot be."""
        changes: dict[str, Any] = {}
        for section in self._sections():
            changes = merged(changes, section.collect())
        data = merged(self._base, changes)
        observations = list(self._base["children"])
        for number, page in enumerate(self.child_pages):
            observations[number] = page.collect()
        data["children"] = observations
        return Visit.model_validate(data)

    def _set_read_only(self, read_only: bool) -> None:
        for any_page in self._pages():
            any_page.set_read_only(read_only)
        self.submit_button.setVisible(not read_only)
        self.problems_part.setVisible(not read_only)

    # --- saving ------------------------------------------------------------------------

    def close_editor(self) -> None:
        """Save and close; an answer the record cannot hold (a paste too long) keeps the
        editor open with the problem shown, instead of closing without those changes."""
        if self.dirty and not self.read_only:
            try:
                self.current_visit()
            except ValidationError as error:
                self.status.setText(self.tr(NOT_CLOSED))
                self.show_problems(problems_from(error))
                return
        self.flush()
        self.photos.forget()
        self.closed.emit()

    def _refresh_next_due(self) -> None:
        try:
            visit = self.current_visit()
        except ValidationError:
            return
        services = self.services
        op(self, lambda: services.next_visit_due(visit)).success(self._show_next_due).failure(
            quietly).run()

    def refresh_flags(self) -> None:
        """Ask the vault, off the UI thread, what this visit would leave flagged."""
        try:
            visit = self.current_visit()
        except ValidationError:
            return
        services, draft = self.services, not self.read_only

        def shown(flags: list[Flag]) -> None:
            self.flags_panel.show_flags(answered_flags(visit, flags) if draft else flags)

        op(self, lambda: services.flags_if_submitted(visit)).success(shown).failure(
            quietly).run()

    def _show_status(self) -> None:
        if self.opened.recorded_by == YOU_ELSEWHERE:
            self.status.set_quietly(self.tr(
                "Recorded by you on another laptop, sent back from central. Read-only on "
                "this laptop: an addendum is added where the visit was recorded."))
        elif self.opened.recorded_by:
            self.status.set_quietly(self.tr(
                "Recorded by {who}, sent to you from central. Read-only: only they can add "
                "to it.").format(who=self.opened.recorded_by))
        elif self.read_only:
            when = self.opened.submitted_at
            self.status.set_quietly(self.tr("Submitted {when}. Read-only: add an addendum to "
                                        "correct or add to it.").format(
                when=when.astimezone().strftime("%d %b %Y %H:%M") if when else ""))
        else:
            self.status.set_quietly(self.tr("Draft: saved automatically as you write."))

    # --- submitting --------------------------------------------------------------------

    def submit(self) -> None:
        if self.read_only:
            return
        try:
            visit = self.current_visit()
        except ValidationError as error:
            problems = problems_from(error)
            self.status.setText(refused_text(len(problems)))
            self.show_problems(problems)
            return
        self.autosave.stop()
        self.dirty = False
        self.submit_button.setEnabled(False)
        self.status.set_quietly(self.tr("Submitting…"))
        services = self.services
        op(self, lambda: services.submit(visit)).success(self._submitted).failure(
            self._refused).run()

    def _submitted(self, stored: StoredVisit) -> None:
        self.submit_button.setEnabled(True)
        self.show_problems([])
        self.read_only = True
        self.opened = OpenedVisit(stored.visit, self.opened.case, self.opened.children, True,
                                  self.opened.earlier_injuries, [], stored.submitted_at,
                                  stored.record_hash)
        self._load(stored.visit)
        self._set_read_only(True)
        self.close_button.setText(self.tr("&Close"))
        self.pdf_button.setVisible(self._export_pdf is not None)
        self.addenda.setVisible(True)
        self.flags_timer.stop()
        self.flags_panel.set_submitted(True)
        self.refresh_flags()
        said = self.status.text()
        due = stored.visit.next_visit_due
        if due is not None:  # the result a worker plans by, said with the submission
            said += " " + self.tr("Next visit due by {day}.").format(
                day=due.strftime("%A %d %B %Y"))
        announce(self.status, said, assertive=True)
        self.status.setFocus(Qt.FocusReason.OtherFocusReason)
        self.submitted.emit(stored)

    def _refused(self, error: Exception) -> None:
        self.submit_button.setEnabled(True)
        self.autosave.start()
        if isinstance(error, ListsProblems):
            self.status.setText(error.user_message)
            self.show_problems(error.problems)
        else:
            self.status.setText(getattr(error, "user_message", self.tr(UNEXPECTED)))

    # --- problems ----------------------------------------------------------------------

    # --- photos and PDF ----------------------------------------------------------------

    def _add_photo(self, injury_id: UUID, added: Callable[[UUID], None]) -> None:
        from ui.widgets.file_choice import choose_file_to_open

        with focus_kept(self):
            path = choose_file_to_open(self, self.tr("Attach a photo"),
                                       self.tr("Photos (*.jpg *.jpeg *.png)"))
        if path is None:
            return
        services, visit_id = self.services, self.visit.id
        op(self, lambda: services.add_photo(path.read_bytes(), visit_id)).success(added).failure(
            lambda error: self.status.setText(
                getattr(error, "user_message", self.tr(UNEXPECTED)))).run()

    # --- the team lead's question ------------------------------------------------------

    def answer_question(self) -> None:
        """An addendum that records which review it answers; the banner goes once stored."""
        banner = self.question_banner
        if banner is None:
            return
        question = banner.question
        dialog = AddendumDialog(self, question=question.question, reason=self.tr(ANSWER_REASON))
        if self.addenda.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        values = dialog.form.collect()

        def answered() -> None:
            banner.hide()
            self.addenda.message.setText(self.tr(
                "Your answer is saved as an addendum; it reaches your team lead at the next "
                "sync."))
            self.question_answered.emit(question.review_id)

        self.addenda.add(values["reason"], values["text"],
                         answers_review_id=question.review_id, then=answered)

    def _pdf(self) -> None:
        if self._export_pdf is not None:
            self._export_pdf(self)
