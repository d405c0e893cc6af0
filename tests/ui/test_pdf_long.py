"""Long records on paper: an answer as long as a field allows (20,000 letters) is printed to
its last word, breaking across pages inside the text area, and a visit with many children
has a running header that never runs into the text below it."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from records.visit import Visit
from tests.ui.test_pdf_output import (
    PRINTED_AT,
    check_running_head,
    full_visit,
    pages_text,
    words_outside_text_area,
)
from ui.widgets.pdf_file import day_text
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
    write_visit_pdf(opened, pdf, printed_by="A. Reviewer", printed_at=PRINTED_AT)

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
