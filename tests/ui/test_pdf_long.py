"""Long records on paper: an answer as long as a field allows (20,000 letters) is printed to
its last word, breaking across pages inside the text area, and a visit with many children
has a running header that never runs into the text below it."""

from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from records.canonical import record_hash
from records.visit import Visit
from tests.factories import make_case, make_child, make_visit
from tests.ui.test_pdf_output import (
    PRINTED_AT,
    check_running_head,
    full_visit,
    pages_text,
    words_outside_text_area,
)
from ui.services import OpenedVisit
from ui.widgets.pdf_file import MARKING, day_text, time_text
from ui.widgets.visit_pdf import write_visit_pdf

LONGEST = 20_000  # records.types.LongText


def numbered_words(tag: str) -> list[str]:
    """Distinct words, as many as fill a field to its limit: "cw0001 cw0002 …"."""
    words: list[str] = []
    while len(" ".join([*words, f"{tag}{len(words):04d}"])) <= LONGEST:
        words.append(f"{tag}{len(words):04d}")
    return words


def test_answers_as_long_as_a_field_allows_are_printed_to_the_last_word(
        qapp: object, tmp_path: Path) -> None:
    """Four fields of 20,000 letters each (rows far taller than a page): every word is on
    paper, nothing runs outside the text area, and each page keeps its header and footer."""
    opened, _, _ = full_visit()
    fields = {"child_words": "cw", "wishes_and_feelings": "wf", "demeanour": "dm"}
    child = opened.visit.children[0].model_copy(update={
        name: " ".join(numbered_words(tag)) for name, tag in fields.items()})
    visit = Visit.model_validate({**opened.visit.model_copy(update={
        "children": (child,), "analysis": " ".join(numbered_words("an"))}).model_dump()})
    opened = replace(opened, visit=visit)
    pdf = tmp_path / "long.pdf"
    made = write_visit_pdf(opened, pdf, printed_by="A. Reviewer", printed_at=PRINTED_AT)
    assert made.archival  # Typst's PDF/UA-1 check passed: the broken row is one tagged row

    pages = pages_text(pdf)
    printed = set(" ".join(pages).split())
    for tag in (*fields.values(), "an"):
        words = numbered_words(tag)
        assert len(" ".join(words)) > LONGEST - 10
        assert [w for w in words if w not in printed] == [], tag
    assert len(pages) >= 10
    assert words_outside_text_area(pdf) == []
    assert opened.record_hash is not None
    check_running_head(pages, opened.case.reference, day_text(date(2020, 3, 2)),
                       opened.record_hash)


Box = tuple[float, float, str]  # top, bottom, word


def page_words(pdf: Path) -> list[list[Box]]:
    """Each page's words with their top and bottom (pdftotext -bbox), top to bottom."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [sorted((float(top), float(bottom), html.unescape(word)) for top, bottom, word in
                   re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page))
            for page in bbox.split("<page ")[1:]]


def check_clear_of_the_text(pdf: Path, people: str, reference: str, printed_by: str,
                            hash_: str) -> None:
    """On every page the running header's words are the topmost, the footer's the
    lowest, and the record's own words lie wholly between them, a clear gap each side."""
    pages = page_words(pdf)
    texts = pages_text(pdf)
    for number, (words, text) in enumerate(zip(pages, texts, strict=True), start=1):
        carried = [line for line in text.splitlines() if "(continued from page" in line]
        header = (f"Home visit record {MARKING} {people} · Case {reference} "
                  f"Page {number} of {len(pages)} {' '.join(carried)}").split()
        footer = ((f"Continued on page {number + 1} " if number < len(pages) and
                   "(continued from page" in texts[number] else "") +
                  f"Record hash (SHA-256): {hash_} Printed by {printed_by} on "
                  f"{time_text(PRINTED_AT)} {MARKING}").split()
        by_bottom = sorted(words, key=lambda w: w[1])
        top, bottom = words[:len(header)], by_bottom[len(words) - len(footer):]
        assert Counter(w for _, _, w in top) == Counter(header), number
        assert Counter(w for _, _, w in bottom) == Counter(footer), number
        body = words[len(header):]
        body = [w for w in body if w not in bottom]
        assert body, number
        assert min(t for t, _, _ in body) > max(b for _, b, _ in top) + 4, number
        assert max(b for _, b, _ in body) + 4 < min(t for t, _, _ in bottom), number


def test_the_running_header_never_runs_into_the_text_for_one_to_ten_children(
        qapp: object, tmp_path: Path) -> None:
    """Long double-barrelled names for 1 to 10 children on one visit, and a long name of
    who printed: header and footer keep clear of the text on every page; more than three
    children are named in the header by the first and a count (all are in the record). With
    ten, the first child's words fill their field: printed to the last word as well."""
    case = make_case().model_copy(update={"reference": "CP-2026-00417"})
    printed_by = "Alexandra-Katarzyna Montgomery-Wiśniewska (Senior Practitioner, North East)"
    for count in range(1, 11):
        children = [make_child(case, given_name=f"Oliwia-Antonina{n}",
                               born=date(2010, 3, 2) + timedelta(days=400 * n)).model_copy(
            update={"family_name": "Kowalska-Wiśniewska-Abernethy"}) for n in range(count)]
        visit = make_visit(case, children)
        if count == 10:  # and an answer far taller than a page, under the tallest header
            first = visit.children[0].model_copy(update={
                "child_words": " ".join(numbered_words("cw"))})
            visit = visit.model_copy(update={"children": (first, *visit.children[1:])})
        opened = OpenedVisit(visit, case, children, True, submitted_at=PRINTED_AT,
                             record_hash=record_hash(visit))
        pdf = tmp_path / f"children-{count}.pdf"
        assert write_visit_pdf(opened, pdf, printed_by=printed_by,
                               printed_at=PRINTED_AT).archival
        named = [f"{c.display_name}, born {day_text(c.date_of_birth)}" for c in children]
        people = "; ".join(named) if count <= 3 else (
            f"{named[0]}, and {count - 1} other children")
        check_clear_of_the_text(pdf, people, case.reference, printed_by, record_hash(visit))
        everything = " ".join(" ".join(pages_text(pdf)).split())
        assert all(f"{c.display_name} — born {day_text(c.date_of_birth)}" in everything
                   for c in children), count  # each child's own section
        assert words_outside_text_area(pdf) == [], count
    printed = set(everything.split())
    assert [w for w in numbered_words("cw") if w not in printed] == []
