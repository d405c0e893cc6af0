"""A PDF of a record (a visit, a chronology): A4 pages, each with the same running header and
footer, so a page read on its own in a court bundle still says whose record it is, which page
of how many, the record's hash, who printed it and when, and that it is OFFICIAL-SENSITIVE.

The HTML is laid out by QTextDocument into the space between header and footer; headings are
kept with what follows them, a table row is never cut across two pages (a row that would be
starts the next page, as a continuation of its table with its header row repeated), and a
table that runs onto the next page says so at both ends.
The finished bytes go to `write_private` (mode 0600, written whole or not at all).

Threads: a `PdfSource` (the HTML and its pictures) is made on the UI thread, because the body
map is drawn by its widget; `pdf_bytes` then lays it out and paints it on any thread (the
vault lane), since QTextDocument is reentrant and QPainter may paint a QPdfWriter or a
QImage off the GUI thread (Qt, "Thread-Support in Qt Modules"). Its pictures are QImages
(never QPixmaps), and one that needs no widget (a timeline) may be given as a function that
draws it, so it is drawn there too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextTable,
)

from records.flag_types import day_text as record_day_text
from records.visit import ENGLAND
from ui.widgets.private_file import write_private

MARKING = "OFFICIAL-SENSITIVE"
BODY_POINTS = 9.5
HEAD_POINTS = 8.0
MARGIN_MM = 12.0
HEADER_MM = 17.0  # the running header and the gap under it
FOOTER_MM = 16.0  # "continued on", a rule, the hash, and printed by
CSS_DPI = 96.0  # what an <img width='…'> in the HTML is measured in
A4_WIDTH_MM = 210.0
TEXT_WIDTH_PX = int((A4_WIDTH_MM - 2 * MARGIN_MM) * CSS_DPI / 25.4) - 4
"""The text width in the HTML's pixels: the widest an <img> may be and stay on the page."""
_BREAK_BEFORE = QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore


def day_text(day: date | None) -> str:
    """Every date in a PDF in the one form the flags use: 6 Dec 2026."""
    return record_day_text(day) if day else "—"


def time_text(moment: datetime | None) -> str:
    """Every time in a PDF in one form, English local time with its zone: 6 Dec 2026 17:31 GMT."""
    if moment is None:
        return "—"
    local = moment.astimezone(ENGLAND)
    return f"{record_day_text(local.date())} {local:%H:%M} {local.tzname()}"


@dataclass(frozen=True)
class RunningHead:
    """What every page repeats: the record, whose it is, and who printed it."""

    title: str  # "Home visit record": also the file's title, so it names no one
    people: str  # the child (or children), each with a date of birth
    case_reference: str
    record_hash: str | None
    hash_label: str  # what the hash is the hash of
    printed_by: str
    printed_at: datetime


def text_font(points: float = BODY_POINTS, *, monospace: bool = False) -> QFont:
    """DejaVu (installed with Homevisit), ligatures off so copied text matches what was typed:
    'effd' in a hash copies out as four letters, not 'e', 'ﬀ', 'd'."""
    font = QFont("DejaVu Sans Mono" if monospace else "DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.Monospace if monospace else QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    for feature in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(feature), 0)
    return font


Picture = QImage | Callable[[], QImage]
"""A picture for the HTML: drawn already, or drawn when the document is laid out (only for
one that needs no widget, so it can be drawn off the UI thread)."""


@dataclass(frozen=True)
class PdfSource:
    """Everything a PDF is made from, ready to leave the UI thread: no widget, no QPixmap."""

    head: RunningHead
    html: str
    pictures: Mapping[str, Picture] = field(default_factory=dict)


def add_pictures(document: QTextDocument, pictures: Mapping[str, Picture]) -> None:
    """Give `document` the pictures its HTML names (`<img src='name'>`), drawing any not yet
    drawn."""
    for name, picture in pictures.items():
        image = picture if isinstance(picture, QImage) else picture()
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)


def write_pdf(destination: Path, source: PdfSource) -> None:
    """Print `source` to A4 with the running header and footer on every page, and write it
    to `destination` readable by its owner only (mode 0600), whole or not at all."""
    write_private(destination, pdf_bytes(source))


def pdf_bytes(source: PdfSource) -> bytes:
    """The PDF's bytes; safe on the vault lane (see the module's note on threads)."""
    head = source.head
    content = QByteArray()
    buffer = QBuffer(content)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(head.title)
    writer.setCreator("Homevisit")
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_A1b)
    writer.setResolution(600)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    dots_per_mm = writer.resolution() / 25.4
    header, footer = HEADER_MM * dots_per_mm, FOOTER_MM * dots_per_mm
    width, height = float(writer.width()), float(writer.height())
    body = QSizeF(width, height - header - footer)

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(text_font())
    document.setPageSize(body)
    document.setDocumentMargin(0)
    add_pictures(document, source.pictures)
    continuations = _lay_out(document, source.html, body.height())
    pages = max(1, document.pageCount())
    splits = _split_tables(document, body.height(), continuations)

    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, header)
            painter.setClipRect(QRectF(0, 0, width, body.height()))
            painter.translate(0, -page * body.height())
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, page * body.height(), width, body.height())
            context.palette = QPalette(QColor("black"), QColor("white"))
            context.palette.setColor(QPalette.ColorRole.Text, QColor("black"))
            document.documentLayout().draw(painter, context)
            painter.restore()
            _paint_head(painter, head, page, pages, width, header, height, footer,
                        continued_from=splits.get(page, ""),
                        continues=page + 1 < pages and page + 1 in splits)
    finally:
        painter.end()
    del writer
    buffer.close()
    return bytes(content.data())


def _page_of(y: float, page_height: float) -> int:
    return int(y // page_height)


def _block_top(document: QTextDocument, block: QTextBlock) -> float:
    return document.documentLayout().blockBoundingRect(block).top()


def _first_line_bottom(document: QTextDocument, heading: QTextBlock) -> float:
    """Where the first line of what follows a heading ends (a table's first row, or the
    next paragraph's first line)."""
    after = heading.next()
    layout = document.documentLayout()
    cursor = QTextCursor(after)
    table = cursor.currentTable()
    rect = layout.blockBoundingRect(after)
    if table is not None:
        row_bottom = max(layout.blockBoundingRect(table.cellAt(0, c).firstCursorPosition()
                                                  .block()).bottom()
                         for c in range(table.columns()))
        return row_bottom
    first_line = after.layout().lineAt(0) if after.layout().lineCount() else None
    return rect.top() + (first_line.height() if first_line is not None else rect.height())


_TABLE = re.compile(r"<table\b[^>]*>")
_ROW = re.compile(r"<tr\b")
_HEAD = re.compile(r"<thead>.*?</thead>", re.DOTALL)
_NEW_PAGE = " style='page-break-before: always'"
MOST_PASSES = 200  # each pass mends one page break; a record has far fewer


def _split_html(source: str, splits: list[tuple[int, int]]) -> str:
    """The HTML with each (table, row) of `splits` starting a table of its own on a new
    page: the same table attributes and header row, so it reads as the same table."""
    for table, row in splits:
        opening = list(_TABLE.finditer(source))[table]
        end = source.index("</table>", opening.end())
        rows = [m.start() for m in _ROW.finditer(source, opening.end(), end)]
        head = _HEAD.search(source, opening.end(), end)
        carried = head.group(0) if head is not None else ""
        at = rows[row]
        tag = opening.group(0)[:-1] + _NEW_PAGE + ">"
        source = f"{source[:at]}</table>{tag}{carried}{source[at:]}"
    return source


def _headings(document: QTextDocument) -> list[QTextBlock]:
    found, block = [], document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0 and QTextCursor(block).currentTable() is None:
            found.append(block)
        block = block.next()
    return found


def _tables(document: QTextDocument) -> list[QTextTable]:
    """The document's tables in order (one per table, however many blocks it holds)."""
    found: dict[int, QTextTable] = {}
    block = document.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if isinstance(table, QTextTable) and table.firstPosition() not in found:
            found[table.firstPosition()] = table
        block = block.next()
    return list(found.values())


def _row_span(document: QTextDocument, table: QTextTable, row: int) -> tuple[float, float]:
    layout = document.documentLayout()
    tops, bottoms = [], []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        tops.append(layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
        bottoms.append(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
    return min(tops), max(bottoms)


def _cut_row(document: QTextDocument, page_height: float) -> tuple[int, int] | None:
    """The first table row laid out across a page break (one short enough for a page)."""
    for index, table in enumerate(_tables(document)):
        for row in range(table.format().headerRowCount() + 1, table.rows()):
            top, bottom = _row_span(document, table, row)
            if (_page_of(top, page_height) != _page_of(bottom - 1, page_height)
                    and bottom - top < page_height * 0.9):
                return index, row
    return None


def _stranded_heading(document: QTextDocument, page_height: float) -> QTextBlock | None:
    """The first heading whose first line of content (or first table row) falls on the next
    page: left alone at a page's foot."""
    for block in _headings(document):
        fmt = block.blockFormat()
        if block.next().isValid() and not fmt.pageBreakPolicy() & _BREAK_BEFORE:
            top = _block_top(document, block)
            content_bottom = _first_line_bottom(document, block)
            if _page_of(top, page_height) != _page_of(content_bottom - 1, page_height):
                return block
    return None


def _lay_out(document: QTextDocument, source: str, page_height: float) -> set[int]:
    """Lay the HTML out in pages, mending the first bad break until none is left: a heading
    stranded at a page's foot starts the next page, and so does a row that would be cut in
    two. Mending one break only moves what follows it, so the breaks are mended in order.
    Returns the tables (by index) that continue one cut at a page break."""
    splits: list[tuple[int, int]] = []
    moved: list[int] = []  # headings, by index, that start a page
    for _ in range(MOST_PASSES):
        document.setHtml(_split_html(source, splits))
        headings = _headings(document)
        for index in moved:
            fmt = headings[index].blockFormat()
            fmt.setPageBreakPolicy(_BREAK_BEFORE)
            QTextCursor(headings[index]).setBlockFormat(fmt)
        stranded = _stranded_heading(document, page_height)
        cut = _cut_row(document, page_height)
        row_at = (_tables(document)[cut[0]].cellAt(cut[1], 0).firstPosition()
                  if cut is not None else document.characterCount())
        if stranded is not None and stranded.position() < row_at:
            moved.append([b.position() for b in headings].index(stranded.position()))
        elif cut is not None:
            splits.append(cut)
        else:
            break
    return {table + 1 for table, _ in splits}


# complexity: one walk over the document's blocks, tracking heading and table
def _split_tables(document: QTextDocument, page_height: float,
                  continuations: set[int]) -> dict[int, str]:
    """For each page that begins inside a table carried over from the page before (by the
    layout, or as a continuation started on a new page), the heading that table sits under
    (the page says '… continued')."""
    layout = document.documentLayout()
    found: dict[int, str] = {}
    heading = ""
    tables = {table.firstPosition(): index for index, table in enumerate(_tables(document))}
    block = document.begin()
    seen: set[int] = set()
    while block.isValid():
        cursor = QTextCursor(block)
        table = cursor.currentTable()
        if block.blockFormat().headingLevel() > 0 and table is None:
            heading = block.text()
        if isinstance(table, QTextTable) and table.firstPosition() not in seen:
            seen.add(table.firstPosition())  # a table's Python wrapper is new each time
            # By its rows' text: the frame's bottom border can fall past the page it ends on.
            first = _page_of(layout.frameBoundingRect(table).top(), page_height)
            last = _page_of(_row_span(document, table, table.rows() - 1)[1] - 1, page_height)
            if tables[table.firstPosition()] in continuations:
                found[first] = heading or "Table"
            for page in range(first + 1, last + 1):
                found[page] = heading or "Table"
        block = block.next()
    return found


def _paint_head(painter: QPainter, head: RunningHead, page: int, pages: int, width: float,
                header: float, height: float, footer: float, *, continued_from: str,
                continues: bool) -> None:
    """The running header (title, marking; people, case, page N of M) and footer (hash;
    printed by and when, marking) of one page, inside the page's margins."""
    small, bold, mono = text_font(HEAD_POINTS), text_font(HEAD_POINTS), text_font(
        HEAD_POINTS, monospace=True)
    bold.setBold(True)
    line = QFontMetricsF(small, painter.device()).lineSpacing()
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
    painter.setPen(QPen(QColor("black")))

    painter.setFont(bold)
    painter.drawText(QRectF(0, 0, width, line), left, head.title)
    painter.drawText(QRectF(0, 0, width, line), right, MARKING)
    painter.setFont(small)
    page_words = f"Page {page + 1} of {pages}"
    page_width = QFontMetricsF(small, painter.device()).horizontalAdvance(page_words) + line
    painter.drawText(QRectF(0, line, width - page_width, 2 * line),
                     left | Qt.TextFlag.TextWordWrap,
                     f"{head.people} · Case {head.case_reference or '—'}")
    painter.drawText(QRectF(0, line, width, line), right, page_words)
    rule = 3.1 * line
    painter.drawLine(QPointF(0, rule), QPointF(width, rule))
    if continued_from:
        italic = text_font(HEAD_POINTS)
        italic.setItalic(True)
        painter.setFont(italic)
        painter.drawText(QRectF(0, rule + 0.15 * line, width, line), left,
                         f"{continued_from} (continued from page {page})")

    top = height - footer + 1.5 * line
    if continues:  # under the text area, clear of a table's last row
        italic = text_font(HEAD_POINTS)
        italic.setItalic(True)
        painter.setFont(italic)
        painter.drawText(QRectF(0, top - 1.25 * line, width, line), right,
                         f"Continued on page {page + 2}")
    painter.drawLine(QPointF(0, top), QPointF(width, top))
    painter.setFont(small)
    label = f"{head.hash_label}: "
    label_width = QFontMetricsF(small, painter.device()).horizontalAdvance(label)
    painter.drawText(QRectF(0, top + 0.3 * line, width, line), left, label)
    painter.setFont(mono)
    painter.drawText(QRectF(label_width, top + 0.3 * line, width - label_width, line), left,
                     head.record_hash or "not submitted, so no hash")
    painter.setFont(small)
    painter.drawText(QRectF(0, top + 1.4 * line, width, line), left,
                     f"Printed by {head.printed_by or '—'} on {time_text(head.printed_at)}")
    painter.setFont(bold)
    painter.drawText(QRectF(0, top + 1.4 * line, width, line), right, MARKING)
