"""The team lead's question, where the worker cannot miss it: over the caseload and the visit;
and, over a visit the team lead escalated, that it was escalated and to what.

A returned visit keeps its question until the worker answers it with an addendum (which
records the review it answers). Both banners show the question in words, not only colour,
so a screen reader and a colour-blind worker get it too.
"""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from records.contracts import ReturnedQuestion
from records.corrections import ReviewDecision
from records.flag_types import weekday_text
from ui.widgets.accessibility import MessageLabel, announce, plain
from ui.widgets.theme import colours, theme_changed


def _banner_style() -> str:
    """The review queue's red, on a tint, with a thick left edge like a callout; the
    colours follow the palette (a dark tint and light red in high contrast)."""
    c = colours()
    return (f"QFrame#returnedQuestion {{ background: {c.alert_tint.name()};"
            f" border: 1px solid {c.alert.name()}; border-left: 6px solid {c.alert.name()};"
            " border-radius: 4px; }"
            f" QFrame#returnedQuestion QLabel {{ color: {c.text.name()};"
            " background: transparent; border: none; }")
ANSWER_REASON = "Answering my team lead's question"


def asked_by(question: ReturnedQuestion) -> str:
    """"Asked by R. Team Lead on Mon 16 Nov 2026 at 18:00", in the laptop's time zone."""
    when = question.returned_at.astimezone()
    who = question.reviewer or "your team lead"
    return f"Asked by {who} on {weekday_text(when.date())} at {when:%H:%M}"


class _Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnedQuestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.restyle()
        theme_changed().connect(self.restyle)

    def restyle(self) -> None:
        self.setStyleSheet(_banner_style())


class VisitQuestionBanner(_Banner):
    """Over a submitted visit: the question, who asked and when, and the way to answer."""

    answer_clicked = Signal()

    def __init__(self, question: ReturnedQuestion) -> None:
        super().__init__()
        self.question = question
        self.heading = QLabel(self.tr("<b>Your team lead returned this visit with a "
                                      "question.</b> It stays here until you answer it."))
        self.heading.setWordWrap(True)
        self.text = QLabel(question.question)
        self.text.setWordWrap(True)
        self.text.setAccessibleDescription(self.tr("Your team lead's question"))
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.text.setFont(font)
        self.asked = QLabel(asked_by(question))
        self.answer_button = QPushButton(self.tr("A&nswer…"))
        self.answer_button.setMinimumHeight(40)
        self.answer_button.setToolTip(self.tr("Answer with an addendum on this visit; the visit "
                                              "itself is not changed."))
        self.answer_button.clicked.connect(self.answer_clicked)
        words = QVBoxLayout()
        words.addWidget(self.heading)
        words.addWidget(self.text)
        words.addWidget(self.asked)
        layout = QHBoxLayout(self)
        layout.addLayout(words, 1)
        layout.addWidget(self.answer_button)
        self._said = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._said:  # said once as the visit opens, not at each tab switch
            self._said = True
            announce(self, f"{plain(self.heading.text())} {self.text.text()} "
                           f"{self.asked.text()}")


class CaseloadQuestionsBanner(_Banner):
    """Over the caseload: how many visits came back with a question, and the oldest to open."""

    open_visit = Signal(object)  # visit id of the oldest unanswered question

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questions: list[ReturnedQuestion] = []
        self.text = MessageLabel(self.tr("Questions from your team lead"))
        self.open_button = QPushButton(self.tr("&Open the oldest question…"))
        self.open_button.setMinimumHeight(40)
        self.open_button.clicked.connect(self._open_oldest)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        self.show_questions([])

    def show_questions(self, questions: list[ReturnedQuestion]) -> None:
        """Oldest first (as `open_questions` gives them); hidden when there are none."""
        self.questions = list(questions)
        count = len(questions)
        if count == 1:
            self.text.setText(self.tr(
                "<b>Your team lead returned 1 visit with a question.</b> It stays on the "
                "visit and on the child below (marked <b>Answer needed</b>) until you answer "
                "it with an addendum."))
        elif count:
            self.text.setText(self.tr(
                "<b>Your team lead returned {n} visits with a question.</b> Each stays on "
                "the visit and on the child below (marked <b>Answer needed</b>) until you "
                "answer it with an addendum.").format(n=count))
        self.setVisible(bool(count))

    def oldest(self) -> UUID | None:
        return self.questions[0].visit_id if self.questions else None

    def _open_oldest(self) -> None:
        visit_id = self.oldest()
        if visit_id is not None:
            self.open_visit.emit(visit_id)


class VisitEscalatedBanner(_Banner):
    """Over a submitted visit the team lead escalated: who, when, and what to, in words."""

    def __init__(self, escalations: list[ReviewDecision]) -> None:
        super().__init__()
        self.heading = QLabel(self.tr("<b>Your team lead escalated this visit.</b>"))
        self.heading.setWordWrap(True)
        lines = []
        for decision in escalations:
            when = decision.decided_at.astimezone()
            who = decision.reviewer or self.tr("your team lead")
            lines.append(self.tr("Escalated by {who} on {day} at {time}: {what}").format(
                who=who, day=weekday_text(when.date()), time=f"{when:%H:%M}",
                what=decision.comment or self.tr("(no comment)")))
        self.text = QLabel("\n".join(lines))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAccessibleDescription(self.tr("What your team lead escalated it to"))
        words = QVBoxLayout(self)
        words.addWidget(self.heading)
        words.addWidget(self.text)
        self._said = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._said:
            self._said = True
            announce(self, f"{plain(self.heading.text())} {self.text.text()}")
