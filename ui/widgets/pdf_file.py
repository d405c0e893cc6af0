"""A PDF of a record (a visit, a chronology): A4 pages, each with the same running header and
footer, so a page read on its own in a court bundle still says whose record it is, which page
of how many, the record's hash, who printed it and when, and that it is OFFICIAL-SENSITIVE.

The HTML is laid out by QTextDocument into the space between header and footer; headings are
kept with what follows them, and a table that runs onto the next page says so at both ends.
The finished bytes go to `write_private` (mode 0600, written whole or not at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
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
FOOTER_MM = 14.0
CSS_DPI = 96.0  # what an <img width='…'> in the HTML is measured in
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


def usable_width_px(document: QTextDocument) -> int:
    """The text width in the HTML's pixels: the widest an <img> may be and stay on the page."""
    device = document.documentLayout().paintDevice()
    dpi = device.logicalDpiX() if device is not None else CSS_DPI
    return int(document.pageSize().width() * CSS_DPI / dpi) - 4


def write_pdf(destination: Path, head: RunningHead,
              html: Callable[[QTextDocument], str]) -> None:
    """Print the HTML that `html` builds (its pictures added to the document it is given)
    to A4 with the running header and footer on every page, and write it to `destination`
    readable by its owner only (mode 0600), whole or not at all."""
    write_private(destination, pdf_bytes(head, html))


def pdf_bytes(head: RunningHead, html: Callable[[QTextDocument], str]) -> bytes:
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
    document.setHtml(html(document))
    _keep_headings_with_next(document, body.height())
    pages = max(1, document.pageCount())
    splits = _split_tables(document, body.height())

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
                        continues=any(p == page + 1 for p in splits))
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


def _keep_headings_with_next(document: QTextDocument, page_height: float) -> None:
    """A heading whose first line of content (or first table row) falls on the next page
    starts that page instead, so no heading is left alone at a page's foot."""
    for _ in range(50):  # each pass moves one heading; a record has far fewer than 50
        block = document.begin()
        moved = False
        while block.isValid():
            fmt = block.blockFormat()
            if fmt.headingLevel() > 0 and block.next().isValid() and not (
                    fmt.pageBreakPolicy() & _BREAK_BEFORE):
                top = _block_top(document, block)
                content_bottom = _first_line_bottom(document, block)
                if _page_of(top, page_height) != _page_of(content_bottom - 1, page_height):
                    cursor = QTextCursor(block)
                    fmt.setPageBreakPolicy(_BREAK_BEFORE)
                    cursor.setBlockFormat(fmt)
                    moved = True
                    break
            block = block.next()
        if not moved:
            return


def _split_tables(document: QTextDocument, page_height: float) -> dict[int, str]:
    """For each page that begins inside a table carried over from the page before, the
    heading that table sits under (the page says '… continued')."""
    layout = document.documentLayout()
    found: dict[int, str] = {}
    heading = ""
    block = document.begin()
    seen: set[int] = set()
    while block.isValid():
        cursor = QTextCursor(block)
        table = cursor.currentTable()
        if block.blockFormat().headingLevel() > 0 and table is None:
            heading = block.text()
        if isinstance(table, QTextTable) and id(table) not in seen:
            seen.add(id(table))
            rect = layout.frameBoundingRect(table)
            first, last = _page_of(rect.top(), page_height), _page_of(rect.bottom() - 1,
                                                                        page_height)
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

    top = height - footer + 0.8 * line
    if continues:
        italic = text_font(HEAD_POINTS)
        italic.setItalic(True)
        painter.setFont(italic)
        painter.drawText(QRectF(0, top - 1.3 * line, width, line), right,
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
