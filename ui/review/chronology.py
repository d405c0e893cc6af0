"""A child's chronology on a timeline (QPainter), the cumulative body map, and its PDF.

Visits, injuries, flags, addenda and review decisions sit on one dated line, one lane per
kind, so a pattern (injuries after each visit not seen alone) shows before it is read.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import QListView, QListWidget, QSizePolicy, QWidget

from records.body_regions import mark_disagreement
from records.visit import ExplanationSource
from ui.review_services import Chronology, DatedInjury
from ui.widgets.body_map import Mark, body_map_image
from ui.widgets.pdf_file import write_pdf
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
    """The timeline itself; `show_chronology` replaces what it draws."""

    def __init__(self) -> None:
        super().__init__()
        self.chronology: Chronology | None = None
        self.setMinimumSize(QSize(480, TOP + LANE_HEIGHT * len(LANES) + 30))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Chronology"))

    def show_chronology(self, chronology: Chronology) -> None:
        self.chronology = chronology
        self.setAccessibleDescription("; ".join(
            f"{e.day:%d %b %Y} {e.kind}: {e.text}" for e in chronology.events))
        self.update()

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


def paint_chronology(painter: QPainter, area: QRectF, chronology: Chronology | None,
                     palette: QPalette | None = None) -> None:
    """Without `palette`, drawn for paper (the PDF)."""
    inks = _inks(palette)
    painter.fillRect(area, inks.paper)
    painter.setPen(QPen(inks.ink))
    if chronology is None or not chronology.events:
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter,
                         QCoreApplication.translate("ChronologyView", "Nothing on record yet."))
        return
    first = min(e.day for e in chronology.events)
    last = max(max(e.day for e in chronology.events), first + timedelta(days=7))
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
        for event in (e for e in chronology.events if e.kind == kind):
            colour = inks.red if event.red else inks.amber if kind == "flag" else inks.blue
            painter.setBrush(colour)
            painter.setPen(QPen(colour))
            painter.drawEllipse(QPointF(x_of(event.day), y), 6, 6)
    painter.setPen(QPen(inks.ink))
    bottom = area.top() + TOP + len(LANES) * LANE_HEIGHT + 4
    months = _month_starts(first, last)
    for tick in [first, *months, last]:
        painter.drawText(QRectF(x_of(tick) - 40, bottom, 80, 20), Qt.AlignmentFlag.AlignCenter,
                         f"{tick:%d %b %y}")
    painter.drawText(QRectF(area.left() + LEFT, area.top() + 4, width, 20),
                     Qt.AlignmentFlag.AlignLeft, chronology.child.display_name)


def _month_starts(first: date, last: date) -> list[date]:
    ticks, day = [], date(first.year, first.month, 1)
    while day <= last:
        if day > first + timedelta(days=10) and day < last - timedelta(days=10):
            ticks.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return ticks[:: max(1, len(ticks) // 8)]


def cumulative_marks(injuries: list[DatedInjury]) -> list[Mark]:
    """Every injury on record, numbered in date order; all but the latest visit's are shaded."""
    latest = max((i.day for i in injuries), default=None)
    ordered = sorted(injuries, key=lambda i: i.day)
    return [
        Mark(i.injury.id, i.injury.view, i.injury.x, i.injury.y, number, i.day != latest)
        for number, i in enumerate(ordered, start=1)
        if i.injury.view is not None and i.injury.x is not None and i.injury.y is not None
    ]


def injury_lines(injuries: list[DatedInjury]) -> list[str]:
    lines = []
    for number, dated in enumerate(sorted(injuries, key=lambda i: i.day), start=1):
        injury = dated.injury
        where = " ".join(v.value.replace("_", " ") for v in (injury.side, injury.region) if v)
        what = injury.injury_type.value.replace("_", " ") if injury.injury_type else "injury"
        source = injury.explanation_given_by
        explained = (
            "no explanation given" if source in (None, ExplanationSource.NO_EXPLANATION_GIVEN)
            else f"explained by {source.value.replace('_', ' ')}: “{injury.explanation_words}”")
        # A record whose mark and words disagree says both: neither is silently preferred.
        drawn = mark_disagreement(injury)
        where += f" ({drawn})" if drawn else ""
        lines.append(f"{number}. {dated.day:%d %b %Y}: {what}, {where} — {explained}")
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


def chronology_image(chronology: Chronology, size: QSize | None = None) -> QImage:
    size = size or QSize(1000, TOP + LANE_HEIGHT * len(LANES) + 30)
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_chronology(painter, QRectF(0, 0, size.width(), size.height()), chronology)
    painter.end()
    return image


def chronology_html(document: QTextDocument, chronology: Chronology) -> str:
    """The chronology as HTML, its pictures added to `document` as resources."""
    for name, image in (("chronology.png", chronology_image(chronology)),
                        ("body.png", body_map_image(cumulative_marks(chronology.injuries)))):
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    rows = "".join(
        f"<tr><td>{e.day:%d %b %Y}</td><td>{html.escape(e.kind)}</td>"
        f"<td>{'<b>' if e.red else ''}{html.escape(e.text)}{'</b>' if e.red else ''}</td></tr>"
        for e in chronology.events)
    injuries = "".join(f"<li>{html.escape(line)}</li>" for line in injury_lines(
        chronology.injuries)) or "<li>No injuries recorded.</li>"
    child = chronology.child
    return (
        f"<h1>Chronology — {html.escape(child.display_name)}</h1>"
        f"<p>{html.escape(child.plan_type.label)}</p>"
        "<p><img src='chronology.png' width='640'></p>"
        "<h2>Body map: every injury on record</h2>"
        "<p><img src='body.png' width='360'></p>"
        f"<ol style='list-style:none'>{injuries}</ol>"
        "<h2>Events</h2><table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr><th>Date</th><th>What</th><th>Detail</th></tr>{rows}</table>"
    )


def write_chronology_pdf(chronology: Chronology, destination: Path) -> None:
    """Write the PDF beside `destination`, then move it into place in one step."""
    write_pdf(destination, "Chronology", lambda document: chronology_html(document, chronology))
