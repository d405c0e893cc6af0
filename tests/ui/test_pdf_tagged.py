"""The PDFs are tagged PDF/UA-1 files a screen reader can read: a structure tree with
headings, tables whose header cells are marked, pictures with words; the document's title
and language; the running header and footer marked as page furniture. And a child's name
is printed as typed, whatever it holds: the record reaches Typst as data, never as markup.

Read with plain bytes and zlib (no PDF library is a dependency): Typst writes the catalog and
the structure tree in Flate-compressed object streams."""

from __future__ import annotations

import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from records.canonical import record_hash
from records.visit import BodyView, Visit
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.ui.test_pdf_output import (
    PRINTED_AT,
    full_visit,
    long_chronology,
    pages_text,
    words_outside_text_area,
)
from ui.review.chronology import write_chronology_pdf
from ui.review_services import Chronology, ChronologyEvent, DatedInjury
from ui.services import OpenedVisit
from ui.widgets.pdf_file import PdfNotMade, PdfSource, RunningHead, write_pdf
from ui.widgets.record_blocks import Heading
from ui.widgets.visit_pdf import write_visit_pdf

NASTY = 'Zoë #[x]* $y$ \\ <lb> @ref `#panic("no")` _u_ //c "q" &amp;'
RIGHT_TO_LEFT = "ليلى"
HEBREW = "נועה"


def pdf_objects(pdf: Path) -> bytes:
    """The file's bytes with every Flate stream it holds inflated after them."""
    data = pdf.read_bytes()
    found = [data]
    for start in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", start.end())
        try:
            found.append(zlib.decompress(data[start.end():end]))
        except zlib.error:
            continue  # not Flate (a font program, say)
    return b"\n".join(found)


def alt_texts(objects: bytes) -> list[str]:
    """Every /Alt string: a literal (balanced brackets, backslash escapes) or UTF-16 hex."""
    found = []
    for start in re.finditer(rb"/Alt([(<])", objects):
        at = start.end()
        if start.group(1) == b"<":
            found.append(bytes.fromhex(objects[at:objects.index(b">", at)].decode())
                         .decode("utf-16"))
            continue
        depth, text = 1, bytearray()
        while True:
            char = objects[at:at + 1]
            at += 1
            if char == b"\\":
                text += objects[at:at + 1]
                at += 1
                continue
            depth += {b"(": 1, b")": -1}.get(char, 0)
            if depth == 0:
                break
            text += char
        found.append(text.decode("latin-1"))
    return found


def structure_types(objects: bytes) -> set[str]:
    return {m.decode() for m in re.findall(rb"/Type/StructElem/S/(\w+)", objects)} | {
        m.decode() for m in re.findall(rb"/S/(\w+)/P \d+ 0 R", objects)}


def check_tagged(pdf: Path, title: str) -> bytes:
    objects = pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects
    assert b"/MarkInfo<</Marked true" in objects
    assert re.search(rb"/Lang\(en-GB\)/StructTreeRoot", objects)  # the catalog's language
    assert b"<pdfuaid:part>1</pdfuaid:part>" in objects  # claims PDF/UA-1
    assert b"<pdfaid:part>2</pdfaid:part>" in objects  # and PDF/A-2a, for the archive
    assert b"<pdfaid:conformance>A</pdfaid:conformance>" in objects
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(rf"^Title:\s+{title}$", info, re.MULTILINE)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert b"/DisplayDocTitle true" in objects  # a reader shows the title, not the file name
    # Header and footer are page furniture a screen reader skips, not text of the record.
    assert b"/Artifact<</Attached[/Top]/Subtype/Header/Type/Pagination>>" in objects
    assert b"/Artifact<</Attached[/Bottom]/Subtype/Footer/Type/Pagination>>" in objects
    return objects


def test_the_visit_pdf_is_tagged_with_headings_tables_and_a_described_body_map(
        qapp: object, tmp_path: Path) -> None:
    opened, _, _ = full_visit()
    pdf = tmp_path / "visit.pdf"
    write_visit_pdf(opened, pdf, printed_by="A. Reviewer", printed_at=PRINTED_AT)
    objects = check_tagged(pdf, "Home visit record")
    assert {"H1", "H2", "H3", "Table", "TR", "TH", "TD", "Figure", "P"} <= structure_types(
        objects)
    assert b"/TH/P" in objects and b"/Scope/Column" in objects  # header cells say so
    [words] = set(alt_texts(objects))  # on the Figure, and again on its picture
    assert words.startswith("Body map of Ana Nowak") and "injury 1" in words
    assert "injury 2" in words and "not on the map" in words


def test_the_chronology_pdf_is_tagged_and_its_timelines_are_described(
        qapp: object, tmp_path: Path) -> None:
    pdf = tmp_path / "chronology.pdf"
    write_chronology_pdf(long_chronology(), pdf, printed_by="A. Reviewer",
                         printed_at=PRINTED_AT)
    objects = check_tagged(pdf, "Chronology")
    assert {"H1", "H2", "Table", "TH", "TD", "Figure", "L", "LI"} <= structure_types(objects)
    alts = alt_texts(objects)
    timelines = [a for a in alts if a.startswith("Timeline of Ana Nowak")]
    assert len(timelines) >= 3 and all("Events table" in a for a in timelines)
    assert any(a.startswith("Body map of Ana Nowak") for a in alts)


def _flat(pages: list[str]) -> str:
    """The text without the marks pdftotext adds around right-to-left runs."""
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", " ".join(" ".join(pages).split()))


def test_a_name_full_of_markup_and_right_to_left_is_printed_as_typed(
        qapp: object, tmp_path: Path) -> None:
    case = make_case().model_copy(update={"reference": "CP-#[1]*"})
    child = make_child(case, given_name=f"{NASTY} {RIGHT_TO_LEFT}")
    sister = make_child(case, given_name=HEBREW)
    injury = make_injury(view=BodyView.FRONT, explanation_words=f"She said {NASTY}")
    visit: Visit = make_visit(case, [child, sister], analysis=f"{NASTY}\n#set page(width: 1cm)")
    visit = visit.model_copy(update={"children": (
        make_observation(child, injuries_seen=True, injuries=(injury,)),
        make_observation(sister))})
    opened = OpenedVisit(visit, case, [child, sister], True, submitted_at=PRINTED_AT,
                         record_hash=record_hash(visit))
    pdf = tmp_path / "visit.pdf"
    write_visit_pdf(opened, pdf, printed_by=f"{NASTY}", printed_at=PRINTED_AT)
    pages = pages_text(pdf)
    everything = _flat(pages)
    assert everything.count(NASTY) >= 5  # heading, head of every page, words, analysis
    assert "#set page(width: 1cm)" in everything  # printed, not obeyed
    assert RIGHT_TO_LEFT in everything and HEBREW in everything
    assert all("Case CP-#[1]*" in " ".join(p.split()) for p in pages)
    assert words_outside_text_area(pdf) == []

    events = [ChronologyEvent(PRINTED_AT.date(), "visit", f"Seen {NASTY}")]
    chronology = Chronology(child, events, [DatedInjury(PRINTED_AT.date(), injury)], [],
                            case.reference, "ab" * 32)
    drawn = tmp_path / "chronology.pdf"
    write_chronology_pdf(chronology, drawn, printed_by="A. Reviewer", printed_at=PRINTED_AT)
    assert _flat(pages_text(drawn)).count(NASTY) >= 3
    alts = set(alt_texts(pdf_objects(drawn)))
    assert len(alts) == 2 and all(f"of {NASTY} {RIGHT_TO_LEFT}" in a for a in alts)


def test_a_pdf_typst_will_not_pass_as_pdf_ua_is_refused_in_words(tmp_path: Path) -> None:
    """Typst checks PDF/UA-1 as it writes: a record whose first heading is not a level-1
    heading is refused, said as what happened and that nothing was lost, and no file is
    left."""
    head = RunningHead("Home visit record", "Ana", "CP-1", None, "Record hash (SHA-256)",
                       "A. Reviewer", PRINTED_AT)
    with pytest.raises(PdfNotMade) as refused:
        write_pdf(tmp_path / "visit.pdf", PdfSource(head, (Heading(2, "Not the first"),)))
    assert "first heading must be of level 1" in str(refused.value)
    assert "Nothing was lost" in refused.value.user_message
    assert list(tmp_path.iterdir()) == []


def test_each_pdf_is_identical_when_made_twice(qapp: object, tmp_path: Path) -> None:
    """Same record, same printing time: the same bytes (no random ids or clock)."""
    opened, _, _ = full_visit()
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    for pdf in (first, second):
        write_visit_pdf(opened, pdf, printed_by="A. Reviewer", printed_at=PRINTED_AT)
    assert first.read_bytes() == second.read_bytes()


def test_the_pdf_writer_and_its_pictures_need_no_qt_and_load_typst_only_when_used() -> None:
    """Layout and the paper pictures run on any thread, with no Qt; the 84 MB Typst module
    is loaded by the first PDF, not by the import (start-up imports these modules)."""
    code = ("import sys; import ui.widgets.pdf_file, ui.widgets.record_blocks, "
            "ui.widgets.body_map_svg, ui.review.timeline_svg; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'typst'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "[]"
