"""A child's chronology on a timeline (QPainter), the cumulative body map, and its PDF.

Visits, injuries, flags, addenda and review decisions sit on one dated line, one lane per
kind, so a pattern (injuries after each visit not seen alone) shows before it is read.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleValueChangeEvent,
    QColor,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QListView, QListWidget, QSizePolicy, QWidget

from records.body_regions import mark_disagreement
from records.visit import ExplanationSource
from ui.review_services import Chronology, DatedInjury
from ui.widgets.accessibility import Part, announce, install
from ui.widgets.body_map import Mark, body_map_image
from ui.widgets.labels import label, where_words
from ui.widgets.pdf_file import (
    TEXT_WIDTH_PX,
    PdfSource,
    Picture,
    RunningHead,
    day_text,
    text_font,
    write_pdf,
)
from ui.widgets.theme import colours

LANES = ("visit", "injury", "note", "flag", "review", "addendum")
LANE_NAMES = {"visit": "Visits", "injury": "Injuries", "note": "Agencies",
              "flag": "Flags", "review": "Reviews", "addendum": "Addenda"}
_INK = QColor("#1f2933")
_RED = QColor("#b42318")
_AMBER = QColor("#b54708")
_BLUE = QColor("#175cd3")
_GRID = QColor("#d0d5dd")
LEFT, TOP, LANE_HEIGHT = 90, 28, 34


class ChronologyView(QWidget):
    """The timeline itself; `show_chronology` replaces what it draws.

    For a screen reader and the keyboard it is a list of its events in words: Tab reaches
    it, the arrow keys (Home, End) step through the events, each said as it is reached, and
    each event is an accessible item of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.chronology: Chronology | None = None
        self.current = 0  # the event the arrow keys have reached
        self.setMinimumSize(QSize(480, TOP + LANE_HEIGHT * len(LANES) + 30))
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
        return [f"{day_text(e.day)}, {_KIND_WORDS.get(e.kind, e.kind)}: {e.text}"
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
        return QSize(900, TOP + LANE_HEIGHT * len(LANES) + 30)

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


_ON_PAPER = _Inks(QColor("white"), _INK, _GRID, _RED, _AMBER, _BLUE)


def _inks(palette: QPalette | None) -> _Inks:
    """On screen the palette's and the theme's colours (dark, high contrast); on paper ink."""
    if palette is None:
        return _ON_PAPER
    theme = colours(palette)
    return _Inks(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text),
                 palette.color(QPalette.ColorRole.Mid), theme.alert, theme.amber,
                 palette.color(QPalette.ColorRole.Link))


# complexity: one painter pass over lanes, events and ticks; the geometry stays in one place
def paint_chronology(painter: QPainter, area: QRectF, chronology: Chronology | None,
                     palette: QPalette | None = None,
                     window: tuple[date, date] | None = None) -> None:
    """Without `palette`, drawn for paper (the PDF); with `window`, only those days."""
    inks = _inks(palette)
    painter.fillRect(area, inks.paper)
    painter.setPen(QPen(inks.ink))
    if chronology is None or not chronology.events:
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter,
                         QCoreApplication.translate("ChronologyView", "Nothing on record yet."))
        return
    if window is None:
        first = min(e.day for e in chronology.events)
        last = max(max(e.day for e in chronology.events), first + timedelta(days=7))
    else:
        first, last = window
    events = [e for e in chronology.events if first <= e.day <= last]
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
    for tick in [first, *_month_starts(first, last), last]:
        # Each date under its day, pulled in at the ends so none runs off the picture.
        left = min(max(x_of(tick) - 40, area.left() + LEFT - 40), area.right() - 80)
        painter.drawText(QRectF(left, bottom, 80, 20), Qt.AlignmentFlag.AlignCenter,
                         day_text(tick))
    title = chronology.child.display_name
    if window is not None:
        title += f": {day_text(first)} to {day_text(last)}"
    painter.drawText(QRectF(area.left() + LEFT, area.top() + 4, width, 20),
                     Qt.AlignmentFlag.AlignLeft, title)


def _month_starts(first: date, last: date) -> list[date]:
    ticks, day = [], date(first.year, first.month, 1)
    while day <= last:
        if day > first + timedelta(days=20) and day < last - timedelta(days=20):
            ticks.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return ticks[:: max(1, len(ticks) // 8)]


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


def chronology_image(chronology: Chronology, size: QSize | None = None,
                     window: tuple[date, date] | None = None, scale: float = 1.0) -> QImage:
    """The timeline as a picture `size` (in the HTML's pixels) drawn `scale` times finer;
    on paper its words are 9 pt (12 of those pixels)."""
    size = size or QSize(1000, TOP + LANE_HEIGHT * len(LANES) + 30)
    image = QImage(QSize(round(size.width() * scale), round(size.height() * scale)),
                   QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    font = text_font()
    font.setPixelSize(12)
    painter.setFont(font)
    paint_chronology(painter, QRectF(0, 0, size.width(), size.height()), chronology,
                     window=window)
    painter.end()
    return image


WINDOW_DAYS = 183
"""How many days one timeline on paper covers: a longer chronology is drawn as several,
one under another (and across pages), so events a day or two apart stay apart."""


def timeline_windows(chronology: Chronology) -> list[tuple[date, date]]:
    """The spans, oldest first, that together cover every event: one when it fits, else
    spans of WINDOW_DAYS each, all to one scale so gaps compare across them."""
    if not chronology.events:
        return []
    first = min(e.day for e in chronology.events)
    last = max(e.day for e in chronology.events)
    if (last - first).days <= WINDOW_DAYS:
        return [(first, max(last, first + timedelta(days=7)))]
    windows = []
    start = first
    while start <= last:
        windows.append((start, start + timedelta(days=WINDOW_DAYS)))
        start += timedelta(days=WINDOW_DAYS + 1)
    return windows


_KIND_WORDS = {"visit": "Visit", "injury": "Injury", "note": "Agency information",
               "flag": "Flag", "review": "Review", "addendum": "Addendum"}


def _timeline(chronology: Chronology, size: QSize,
              window: tuple[date, date]) -> Callable[[], QImage]:
    return lambda: chronology_image(chronology, size, window, 3.0)


def chronology_html(pictures: dict[str, Picture], chronology: Chronology) -> str:
    """The chronology as HTML, its pictures added to `pictures`, each timeline as wide as the
    page's text. The body map is drawn now (by its widget: UI thread only); each timeline is
    left to be drawn where the document is laid out (plain QPainter on a QImage)."""
    width, height = TEXT_WIDTH_PX, TOP + LANE_HEIGHT * len(LANES) + 30
    timelines = []
    for number, window in enumerate(timeline_windows(chronology)):
        name = f"chronology-{number}.png"
        pictures[name] = _timeline(chronology, QSize(width, height), window)
        timelines.append(f"<p><img src='{name}' width='{width}' height='{height}'></p>")
    pictures["body.png"] = body_map_image(cumulative_marks(chronology.injuries))
    rows = "".join(
        f"<tr><td>{day_text(e.day)}</td><td>{html.escape(_KIND_WORDS.get(e.kind, e.kind))}"
        f"</td><td>{'<b>' if e.red else ''}{html.escape(e.text)}{'</b>' if e.red else ''}"
        f"</td></tr>"
        for e in chronology.events)
    injuries = "".join(f"<li>{html.escape(line)}</li>" for line in injury_lines(
        chronology.injuries)) or "<li>No injuries recorded.</li>"
    child = chronology.child
    born = day_text(child.date_of_birth) if child.date_of_birth else "not recorded"
    return (
        f"<h1>Chronology — {html.escape(child.display_name)}</h1>"
        f"<p>{html.escape(child.plan_type.label)} · Case "
        f"{html.escape(chronology.case_reference or '—')} · Born {born}</p>"
        "<p>Timeline: red marks are injuries, red flags and late visits. Events are listed "
        "in words under the body map.</p>"
        + "".join(timelines) +
        "<h2>Body map: every injury on record</h2>"
        "<p>Injuries from the latest visit with injuries are solid; earlier ones are faded "
        "(dashed). The numbers match the list.</p>"
        "<p><img src='body.png' width='300'></p>"
        f"<ol style='list-style:none'>{injuries}</ol>"
        "<h2>Events</h2><table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<thead><tr><th>Date</th><th>What</th><th>Detail</th></tr></thead>{rows}</table>"
    )


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
    """What the chronology's PDF is made from: made on the UI thread (the body map is drawn
    by its widget); its timelines are drawn, and the whole laid out and written, on the
    vault lane (`ui.widgets.pdf_file.pdf_bytes`)."""
    pictures: dict[str, Picture] = {}
    body = chronology_html(pictures, chronology)
    return PdfSource(chronology_head(chronology, printed_by, printed_at), body, pictures)


def write_chronology_pdf(chronology: Chronology, destination: Path, *, printed_by: str,
                         printed_at: datetime) -> None:
    """The chronology as a PDF at `destination`, mode 0600, whole or not at all."""
    write_pdf(destination, chronology_pdf_source(chronology, printed_by=printed_by,
                                                 printed_at=printed_at))
