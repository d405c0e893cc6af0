"""A record (a visit, a chronology) as a list of plain blocks: headings, paragraphs, tables
with a header row, lists and pictures. Qt-free.

One list feeds both outputs, so screen and paper say the same: `blocks_html` for the team
lead's review screen (QTextDocument), and `pdf_file.make_pdf` (JSON to the Typst template)
for the tagged PDF.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    level: int  # 1 the record, 2 a part of it, 3 within a part
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str  # line breaks kept
    strong: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    mono: bool = False  # a hash: monospace, small, no ligatures, so it copies out whole
    strong: bool = False  # a red event


@dataclass(frozen=True)
class Table:
    """A table with a header row (repeated on each page it runs onto). With `row_labels`
    its first column names each row (a question, its answer beside it)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]  # per cent of the text width
    under: str  # the heading it sits under: a page it runs onto says "… (continued …)"
    row_labels: bool = True


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    """A picture (SVG) with the words a screen reader says instead of it."""

    svg: str
    alt: str
    width: int  # per cent of the text width


Block = Heading | Paragraph | Table | Items | Figure


def answers(header: tuple[str, str], rows: Iterable[tuple[str, str | Cell]], under: str,
            widths: tuple[int, int] = (35, 65)) -> Table:
    """A two-column table of questions and their answers."""
    return Table(header, tuple((Cell(question), answer if isinstance(answer, Cell)
                                else Cell(answer)) for question, answer in rows),
                 widths, under)


def block_json(block: Block) -> dict[str, object]:
    """One block as the template reads it (`kind` says which)."""
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": block.text}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text, "strong": block.strong}
    if isinstance(block, Items):
        return {"kind": "items", "items": list(block.items)}
    if isinstance(block, Figure):
        return {"kind": "figure", "svg": block.svg, "alt": block.alt, "width": block.width}
    return {"kind": "table", "header": list(block.header), "widths": list(block.widths),
            "under": block.under, "row_labels": block.row_labels,
            "rows": [[{"text": c.text, "mono": c.mono, "strong": c.strong} for c in row]
                     for row in block.rows]}


def _escaped(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _cell_html(cell: Cell, tag: str) -> str:
    text = _escaped(cell.text)
    if cell.mono:
        text = ("<span style=\"font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt;"
                f" white-space: nowrap\">{text}</span>")
    if cell.strong:
        text = f"<b>{text}</b>"
    return f"<{tag} align='left'>{text}</{tag}>"


def _table_html(table: Table) -> str:
    head = "".join(f"<th align='left' width='{width}%'>{_escaped(h)}</th>"
                   for h, width in zip(table.header, table.widths, strict=True))
    rows = "".join(
        "<tr>" + "".join(_cell_html(c, "th" if n == 0 and table.row_labels else "td")
                         for n, c in enumerate(row)) + "</tr>" for row in table.rows)
    return ("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<thead><tr>{head}</tr></thead>{rows}</table>")


def figure_name(number: int) -> str:
    """What `blocks_html` calls the `number`th figure (`<img src='…'>`)."""
    return f"figure-{number}"


def blocks_html(blocks: Sequence[Block], figure_width_px: int = 300) -> str:
    """The blocks as HTML for a QTextDocument; figure n is `<img src='figure-n'>`."""
    parts: list[str] = []
    figures = 0
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{_escaped(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            text = _escaped(block.text)
            parts.append(f"<p>{f'<b>{text}</b>' if block.strong else text}</p>")
        elif isinstance(block, Items):
            parts.append("<ul>" + "".join(f"<li>{_escaped(i)}</li>" for i in block.items)
                         + "</ul>")
        elif isinstance(block, Figure):
            parts.append(f"<p><img src='{figure_name(figures)}' width='{figure_width_px}' "
                         f"alt='{html.escape(block.alt)}'></p>")
            figures += 1
        else:
            parts.append(_table_html(block))
    return "".join(parts)
