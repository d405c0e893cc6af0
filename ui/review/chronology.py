"""A child's chronology on a timeline (QPainter), the cumulative body map, and its PDF.

Visits, injuries, flags, addenda and review decisions sit on one dated line, one lane per
kind, so a pattern (injuries after each visit not seen alone) shows before it is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleValueChangeEvent,
    QColor,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QListView, QListWidget, QSizePolicy, QWidget

from records.body_regions import mark_disagreement
from records.visit import ExplanationSource
from records.wording import counted
from ui.review.timeline_svg import (
    HEIGHT,
    KIND_WORDS,
    LANE_HEIGHT,
    LANE_NAMES,
    LANES,
    LEFT,
    TOP,
    month_starts,
    timeline_svg,
    timeline_windows,
    timeline_words,
)
from ui.review_services import Chronology, DatedInjury
from ui.widgets.accessibility import Part, announce, install
from ui.widgets.body_map import Mark
from ui.widgets.body_map_svg import body_map_svg
from ui.widgets.labels import label, where_words
from ui.widgets.pdf_file import MadePdf, PdfSource, RunningHead, day_text, write_pdf
from ui.widgets.record_blocks import Block, Cell, Figure, Heading, Items, Paragraph, Table
from ui.widgets.theme import colours


class ChronologyView(QWidget):
    """The timeline itself; `show_chronology` replaces what it draws.

    For a screen reader and the keyboard it is a list of its events in words: Tab reaches
    it, the arrow keys (Home, End) step through the events, each said as it is reached, and
    each event is an accessible item of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.chronology: Chronology | None = None
        self.current = 0  # the event the arrow keys have reached
        self.setMinimumSize(QSize(480, HEIGHT))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Chronology"))
        self.setAccessibleDescription(self.tr(
            "Timeline of the child's events. Arrow keys step through the events, oldest "
            "first; Home and End go to the first and the newest."))
        install()

    def show_chronology(self, chronology: Chronology) -> None:
        self.chronology = chronology
        self.current = 0
        self.update()

    def event_words(self) -> list[str]:
        events = self.chronology.events if self.chronology else []
        return [f"{day_text(e.day)}, {KIND_WORDS.get(e.kind, e.kind)}: {e.text}"
                + (self.tr(" (red)") if e.red else "") for e in events]

    def accessible_parts(self) -> list[Part]:
        return [Part(words, self.rect()) for words in self.event_words()]

    def accessible_value(self) -> str:
        words = self.event_words()
        if not words:
            return self.tr("No events")
        return self.tr("{event} ({n} of {count})").format(
            event=words[self.current], n=self.current + 1, count=len(words))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        count = len(self.event_words())
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1,
                 Qt.Key.Key_Down: 1}
        key = Qt.Key(event.key())
        if not count or (key not in steps and key not in (Qt.Key.Key_Home, Qt.Key.Key_End)):
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Home:
            self.current = 0
        elif key == Qt.Key.Key_End:
            self.current = count - 1
        else:
            self.current = min(max(self.current + steps[key], 0), count - 1)
        said = self.accessible_value()
        QAccessible.updateAccessibility(QAccessibleValueChangeEvent(self, said))
        announce(self, said)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_chronology(painter, QRectF(self.rect()), self.chronology, self.palette())
        painter.end()


@dataclass(frozen=True)
class _Inks:
    paper: QColor
    ink: QColor
    grid: QColor
    red: QColor
    amber: QColor
    blue: QColor


def _inks(palette: QPalette) -> _Inks:
    """The palette's and the theme's colours (dark, high contrast); paper's are in
    timeline_svg."""
    theme = colours(palette)
    return _Inks(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text),
                 palette.color(QPalette.ColorRole.Mid), theme.alert, theme.amber,
                 palette.color(QPalette.ColorRole.Link))


# complexity: one painter pass over lanes, events and ticks; the geometry stays in one place
def paint_chronology(painter: QPainter, area: QRectF, chronology: Chronology | None,
                     palette: QPalette) -> None:
    """The whole chronology on screen (the PDF draws its own, in spans: timeline_svg)."""
    inks = _inks(palette)
    painter.fillRect(area, inks.paper)
    painter.setPen(QPen(inks.ink))
    if chronology is None or not chronology.events:
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter,
                         QCoreApplication.translate("ChronologyView", "Nothing on record yet."))
        return
    first = min(e.day for e in chronology.events)
    last = max(max(e.day for e in chronology.events), first + timedelta(days=7))
    events = chronology.events
    span = max((last - first).days, 1)
    width = area.width() - LEFT - 20

    def x_of(day: date) -> float:
        return area.left() + LEFT + width * (day - first).days / span

    for lane, kind in enumerate(LANES):
        y = area.top() + TOP + lane * LANE_HEIGHT + LANE_HEIGHT / 2
        painter.setPen(QPen(inks.grid))
        painter.drawLine(QPointF(area.left() + LEFT, y), QPointF(area.right() - 20, y))
        painter.setPen(QPen(inks.ink))
        painter.drawText(QRectF(area.left() + 4, y - 10, LEFT - 8, 20),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         LANE_NAMES[kind])
        for event in (e for e in events if e.kind == kind):
            colour = inks.red if event.red else inks.amber if kind == "flag" else inks.blue
            painter.setBrush(colour)
            painter.setPen(QPen(colour))
            painter.drawEllipse(QPointF(x_of(event.day), y), 6, 6)
    painter.setPen(QPen(inks.ink))
    bottom = area.top() + TOP + len(LANES) * LANE_HEIGHT + 4
    for tick in [first, *month_starts(first, last), last]:
        # Each date under its day, pulled in at the ends so none runs off the picture.
        left = min(max(x_of(tick) - 40, area.left() + LEFT - 40), area.right() - 80)
        painter.drawText(QRectF(left, bottom, 80, 20), Qt.AlignmentFlag.AlignCenter,
                         day_text(tick))
    painter.drawText(QRectF(area.left() + LEFT, area.top() + 4, width, 20),
                     Qt.AlignmentFlag.AlignLeft, chronology.child.display_name)


def cumulative_marks(injuries: list[DatedInjury]) -> list[Mark]:
    """Every injury on record, numbered in date order; all but the latest visit's are faded."""
    latest = max((i.day for i in injuries), default=None)
    return [
        Mark(i.injury.id, i.injury.view, i.injury.x, i.injury.y, number, i.day != latest,
             label(i.injury.injury_type) if i.injury.injury_type else "")
        for number, i in enumerate(_in_order(injuries), start=1)
        if i.injury.view is not None and i.injury.x is not None and i.injury.y is not None
    ]


def _in_order(injuries: list[DatedInjury]) -> list[DatedInjury]:
    return sorted(injuries, key=lambda i: i.day)


# complexity: one sentence per injury, each clause only when recorded
def injury_lines(injuries: list[DatedInjury]) -> list[str]:
    """One line per injury, numbered as on the body map, in words (never raw values)."""
    lines = []
    for number, dated in enumerate(_in_order(injuries), start=1):
        injury = dated.injury
        where = where_words(injury.side, injury.region) or "place not recorded"
        what = label(injury.injury_type) if injury.injury_type else "Injury"
        source = injury.explanation_given_by
        if source in (None, ExplanationSource.NO_EXPLANATION_GIVEN):
            explained = "no explanation given"
        else:
            assert source is not None
            explained = f"explained by: {label(source)}"
            if injury.explanation_words:
                explained += f", “{injury.explanation_words}”"
        # A record whose mark and words disagree says both: neither is silently preferred.
        drawn = mark_disagreement(injury)
        where += f" ({drawn})" if drawn else ""
        if injury.view is None or injury.x is None or injury.y is None:
            where += " (not on the map: no position was marked)"
        lines.append(f"{number}. {day_text(dated.day)}: {what}, {where} — {explained}")
    return lines


class WrappedList(QListWidget):
    """A child's dated injuries (or flags), each line wrapped to the width: the words are
    the evidence, and an explanation cut off at the edge is an explanation not read."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)


TEXT_WIDTH_PX = 703
"""The PDF's text width (186 mm) in pixels at 96 an inch: a timeline this wide on paper
prints its 12-pixel words at 9 pt."""


def chronology_blocks(chronology: Chronology) -> list[Block]:
    """The chronology as headings, pictures, a list and a table: the timelines (split into
    spans of WINDOW_DAYS, one under another), the body map of every injury on record, and
    every event in words."""
    child = chronology.child
    born = day_text(child.date_of_birth) if child.date_of_birth else "not recorded"
    blocks: list[Block] = [
        Heading(1, f"Chronology — {child.display_name}"),
        Paragraph(f"{child.plan_type.label} · Case {chronology.case_reference or '—'} · "
                  f"Born {born}"),
        Paragraph("Timeline: red marks are injuries, red flags and late visits. Events are "
                  "listed in words under the body map."),
    ]
    blocks += [Figure(timeline_svg(chronology, window, TEXT_WIDTH_PX),
                      timeline_words(chronology, window), 100)
               for window in timeline_windows(chronology)]
    lines = injury_lines(chronology.injuries)
    unplaced = [line for line in lines if "not on the map" in line]
    blocks += [
        Heading(2, "Body map: every injury on record"),
        Paragraph("Injuries from the latest visit with injuries are solid; earlier ones are "
                  "faded (grey, dashed). The numbers match the list."),
        Figure(body_map_svg(cumulative_marks(chronology.injuries)),
               f"Body map of {child.display_name}, front and back, with every injury on "
               f"record numbered as in the list under it: {counted(len(lines), 'injury')}, "
               f"{len(unplaced)} of them not on the map.", 55),
        Items(tuple(lines) or ("No injuries recorded.",)),
        Heading(2, "Events"),
        Table(("Date", "What", "Detail"), tuple(
            (Cell(day_text(e.day)), Cell(KIND_WORDS.get(e.kind, e.kind)),
             Cell(e.text, strong=e.red)) for e in chronology.events)
            or ((Cell("—"), Cell("—"), Cell("Nothing on record yet.")),),
            (16, 18, 66), "Events", row_labels=False),
    ]
    return blocks


def chronology_head(chronology: Chronology, printed_by: str,
                    printed_at: datetime) -> RunningHead:
    child = chronology.child
    born = f"born {day_text(child.date_of_birth)}" if child.date_of_birth else \
        "date of birth not recorded"
    return RunningHead(CHRONOLOGY_TITLE, f"{child.display_name}, {born}",
                       chronology.case_reference, chronology.content_hash or None,
                       "Chronology hash (SHA-256)", printed_by, printed_at)


CHRONOLOGY_TITLE = "Chronology"


def chronology_pdf_source(chronology: Chronology, *, printed_by: str,
                          printed_at: datetime) -> PdfSource:
    """What the chronology's PDF is made from: made on the UI thread (its words are
    translated there); laid out and written on the vault lane
    (`ui.widgets.pdf_file.make_pdf`)."""
    return PdfSource(chronology_head(chronology, printed_by, printed_at),
                     chronology_blocks(chronology))


def write_chronology_pdf(chronology: Chronology, destination: Path, *, printed_by: str,
                         printed_at: datetime) -> MadePdf:
    """The chronology as a PDF at `destination`, mode 0600, whole or not at all."""
    return write_pdf(destination, chronology_pdf_source(chronology, printed_by=printed_by,
                                                 printed_at=printed_at))
