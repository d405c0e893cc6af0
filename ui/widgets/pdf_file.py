"""A PDF of a record (a visit, a chronology): a tagged PDF/UA-1 file, A4, each page with the
same running header and footer, so a page read on its own in a court bundle still says whose
record it is, which page of how many, the record's hash, who printed it and when, and that
it is OFFICIAL-SENSITIVE; and a screen reader reads its headings, tables and pictures.

Typst (the `typst` package: its compiler and fonts in one native module) lays out the
template `pdf_templates/record.typ`; the record reaches it only as JSON (`sys.inputs`), read
there as data, so nothing typed into a record can act as markup. The template keeps headings
with what follows them, never cuts a table row across two pages unless the row is taller
than a page (a long answer, broken across pages so no word is lost), repeats a table's
header row on each page it runs onto and says "continued" at both ends of the break.
The finished bytes go to `write_private` (mode 0600, written whole or not at all).

Qt-free, so it runs on any thread: the vault lane writes PDFs with it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from records.flag_types import day_text as record_day_text
from records.visit import ENGLAND
from ui.widgets.private_file import write_private
from ui.widgets.record_blocks import Block, block_json

MARKING = "OFFICIAL-SENSITIVE"
MARGIN_MM = 12.0
TEMPLATE = Path(__file__).with_name("pdf_templates") / "record.typ"
FONTS = Path(__file__).with_name("pdf_fonts")
"""DejaVu Sans, shipped with Homevisit, so a PDF looks the same on every laptop; the
compiler's own fonts (DejaVu Sans Mono, Libertinus Serif) and the system's cover the rest."""


class PdfNotMade(Exception):
    """The PDF could not be laid out (a fault in the template, not in the record)."""

    user_message = ("The PDF could not be made. Nothing was lost: the record is safe in the "
                    "vault. Try again; if it happens again, tell IT.")


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


@dataclass(frozen=True)
class PdfSource:
    """Everything a PDF is made from: plain data, safe to hand to another thread."""

    head: RunningHead
    blocks: Sequence[Block]


def source_json(source: PdfSource) -> str:
    """What the template reads: the running head and the blocks, as JSON."""
    head = source.head
    return json.dumps({
        "head": {"title": head.title, "people": head.people,
                 "case_reference": head.case_reference or "—",
                 "record_hash": head.record_hash or "not submitted, so no hash",
                 "hash_label": head.hash_label, "printed_by": head.printed_by or "—",
                 "printed_at": time_text(head.printed_at)},
        "blocks": [block_json(block) for block in source.blocks],
    }, ensure_ascii=False)


def pdf_bytes(source: PdfSource) -> bytes:
    """The PDF's bytes, PDF/UA-1 (tagged, with title and language) and PDF/A-2a (kept
    readable for the archive: fonts embedded, no outside references); any thread."""
    import typst  # an 84 MB native module: loaded by the first PDF, not at start-up

    # Typst checks both standards as it writes, and refuses a document that fails them.
    try:
        made = typst.compile(
            TEMPLATE, sys_inputs={"data": source_json(source)}, pdf_standards=["ua-1", "a-2a"],
            font_paths=[FONTS], timestamp=int(source.head.printed_at.timestamp()))
    except typst.TypstError as error:
        raise PdfNotMade(error.message) from error
    assert isinstance(made, bytes)
    return made


def write_pdf(destination: Path, source: PdfSource) -> None:
    """Lay `source` out on A4 with the running header and footer on every page, and write
    it to `destination` readable by its owner only (mode 0600), whole or not at all."""
    write_private(destination, pdf_bytes(source))
