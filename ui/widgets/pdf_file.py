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
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from records.flag_types import day_text as record_day_text
from records.visit import ENGLAND
from ui.widgets.pdf_text import cleaned, scripts_named
from ui.widgets.private_file import write_private
from ui.widgets.record_blocks import Block, block_json

if TYPE_CHECKING:
    from typst import PDFStandard

log = logging.getLogger(__name__)

MARKING = "OFFICIAL-SENSITIVE"
MARGIN_MM = 12.0
TEMPLATE = Path(__file__).with_name("pdf_templates") / "record.typ"
PROBE = Path(__file__).with_name("pdf_templates") / "probe.typ"
FONTS = Path(__file__).with_name("pdf_fonts")
"""DejaVu Sans, shipped with Homevisit, so a PDF looks the same on every laptop; the
compiler's own fonts (DejaVu Sans Mono, Libertinus Serif) and the system's cover the rest
(Bengali, Chinese, Ethiopic…: the .deb recommends Debian's Noto fonts; Windows and macOS
ship fonts for these scripts)."""
STANDARDS: list[PDFStandard] = ["ua-1", "a-2a"]
PROBES = 64
"""The most characters named as undrawn: one small compile each, a few milliseconds."""
# How Typst says a glyph is missing (PDF/A and PDF/UA need every glyph drawn): the text is
# Rust's debug form of the string (a backslash and `u{9a8}` for a character it would
# not print).
_UNDRAWN = re.compile(r'(?:the text|codepoint) `"((?:[^"\\]|\\.)*)"`')
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|.)")


class PdfNotMade(Exception):
    """The PDF could not be laid out (a fault in the template, not in the record)."""

    user_message = ("The PDF could not be made. Nothing was lost: the record is safe in the "
                    "vault. Try again; if it happens again, tell IT.")


UNDRAWN_NOTE = ("PDF saved, but some characters could not be drawn with the fonts on this "
                "laptop ({0}). They show as empty boxes in this PDF, which is therefore not "
                "marked PDF/A or PDF/UA. IT can install fonts for that script; then save the "
                "PDF again.")
UNKNOWN = "which ones is not known"


@dataclass(frozen=True)
class MadePdf:
    """A PDF's bytes, and what could not be drawn in it. `archival` is False when a
    character had no font on this laptop: the PDF is then made without the PDF/A-2a and
    PDF/UA-1 checks (still tagged), those characters shown as empty boxes, rather than the
    record refused."""

    data: bytes
    archival: bool = True
    undrawn: tuple[str, ...] = ()  # the characters no font on this laptop has, if known

    @property
    def note(self) -> str:
        """What to tell the worker about characters that could not be drawn (empty when
        none), in English; the screens say `UNDRAWN_NOTE` through `tr`."""
        return "" if self.archival else UNDRAWN_NOTE.format(self.undrawn_named or UNKNOWN)

    @property
    def undrawn_named(self) -> str:
        return scripts_named(self.undrawn)


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
    """What the template reads: the running head and the blocks, as JSON, without the
    characters that have no visible form (`pdf_text.printable`)."""
    head = source.head
    return json.dumps(cleaned({
        "head": {"title": head.title, "people": head.people,
                 "case_reference": head.case_reference or "—",
                 "record_hash": head.record_hash or "not submitted, so no hash",
                 "hash_label": head.hash_label, "printed_by": head.printed_by or "—",
                 "printed_at": time_text(head.printed_at)},
        "blocks": [block_json(block) for block in source.blocks],
    }), ensure_ascii=False)


def make_pdf(source: PdfSource, *, system_fonts: bool = True) -> MadePdf:
    """The PDF, PDF/UA-1 (tagged, with title and language) and PDF/A-2a (kept readable for
    the archive: fonts embedded, no outside references); any thread. A character no font
    has never refuses the record: see `MadePdf`. `system_fonts=False` leaves out the
    laptop's own fonts, as on a laptop with none installed for the scripts DejaVu lacks."""
    import typst  # an 84 MB native module: loaded by the first PDF, not at start-up

    data = source_json(source)

    def compiled(archival: bool) -> bytes:
        made = typst.compile(TEMPLATE, sys_inputs={"data": data},
                             pdf_standards=STANDARDS if archival else None, pdf_tags=True,
                             timestamp=int(source.head.printed_at.timestamp()),
                             font_paths=[FONTS], ignore_system_fonts=not system_fonts)
        assert isinstance(made, bytes)
        return made

    # Typst checks both standards as it writes, and refuses a document that fails them.
    try:
        return MadePdf(compiled(archival=True))
    except typst.TypstError as error:
        if not _UNDRAWN.search(error.message):
            raise PdfNotMade(error.message) from error
    try:
        made = compiled(archival=False)
    except typst.TypstError as again:
        raise PdfNotMade(again.message) from again
    undrawn = _undrawn(data, system_fonts)
    # The type of error only: the characters are a child's words.
    log.warning("PDF made without the PDF/A-2a and PDF/UA-1 checks: a glyph no font on "
                "this laptop has (%d characters)", len(undrawn))
    return MadePdf(made, archival=False, undrawn=undrawn)


def pdf_bytes(source: PdfSource) -> bytes:
    """The PDF's bytes alone (`make_pdf`)."""
    return make_pdf(source).data


def _unescaped(debug: str) -> str:
    """A string as Rust's debug form wrote it (a backslash, then `u{9a8}`, `"` or `n`)
    back as text."""
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(code, code)
    return _ESCAPE.sub(one, debug)


def _undrawn(data: str, system_fonts: bool) -> tuple[str, ...]:
    """The record's characters no font on this laptop has: each of its characters once, in
    a small document (`probe.typ`) Typst checks as it checks the record, the one it names
    taken out each time, until it passes (at most `PROBES` times)."""
    import typst

    left = sorted({c for c in data if not c.isascii() and not c.isspace()})
    compiler = typst.Compiler(PROBE, font_paths=[FONTS], ignore_system_fonts=not system_fonts)
    undrawn: list[str] = []
    for _ in range(PROBES):
        try:
            compiler.compile(sys_inputs={"text": "\n".join(left)}, pdf_standards=STANDARDS)
            break
        except typst.TypstError as error:
            found = _UNDRAWN.search(error.message)
            named = set(_unescaped(found.group(1))) & set(left) if found else set()
            if not named:
                break
            undrawn += sorted(named)
            left = [c for c in left if c not in named]
    return tuple(undrawn)


def write_pdf(destination: Path, source: PdfSource) -> MadePdf:
    """Lay `source` out on A4 with the running header and footer on every page, and write
    it to `destination` readable by its owner only (mode 0600), whole or not at all."""
    made = make_pdf(source)
    write_private(destination, made.data)
    return made
