"""Words print as typed in any script the laptop has fonts for, and a character it has no
font for never costs the worker the PDF: Bengali, Tigrinya (Ethiopic), Chinese and Urdu
with the Noto fonts the .deb recommends (`make test` installs them); a laptop without them
(Typst kept to Homevisit's own fonts) still gets its PDF, tagged, and is told what could not
be drawn. Characters with no visible form never reach Typst."""

from __future__ import annotations

import logging
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Household, unlock
from tests.ui.driving import (
    field,
    fill_whole_visit,
    start_visit_for_selected,
    submit,
)
from tests.ui.test_pdf_output import PRINTED_AT, full_visit, pages_text, words_outside_text_area
from ui.services import OpenedVisit
from ui.shell.main_window import WindowOptions
from ui.widgets.fields import TextBox
from ui.widgets.pdf_file import PdfSource, RunningHead, make_pdf, write_pdf
from ui.widgets.pdf_text import printable, scripts_named
from ui.widgets.record_blocks import Cell, Heading, Paragraph, Table
from ui.widgets.visit_pdf import visit_pdf_source, write_visit_pdf

BENGALI = "আমি ভয় পাই"  # "I am scared"
TIGRINYA = "ሰላም ኣማኑኤል"
CHINESE = "我想回家"  # "I want to go home"
URDU = "مجھے ڈر لگتا ہے"  # with ہ (heh goal), which DejaVu Sans lacks
WORDS = f"{BENGALI} / {TIGRINYA} / {CHINESE} / {URDU}"


def _flat(text: str) -> str:
    """The text without the marks pdftotext adds around right-to-left runs, spaces single."""
    return " ".join(re.sub("[\u202a-\u202e\u2066-\u2069]", "", text).split())


def visit_in_the_childs_words() -> OpenedVisit:
    opened, _, _ = full_visit()
    child = opened.visit.children[0].model_copy(update={"child_words": WORDS})
    return replace(opened, visit=opened.visit.model_copy(update={"children": (child,)}))


def test_a_visit_in_bengali_tigrinya_chinese_and_urdu_is_printed_as_typed(
        qapp: object, tmp_path: Path) -> None:
    """With fonts for each script on the laptop the PDF is PDF/A-2a and PDF/UA-1 as ever,
    and the child's words copy out of it exactly as typed."""
    opened = visit_in_the_childs_words()
    pdf = tmp_path / "visit.pdf"
    made = write_visit_pdf(opened, pdf, printed_by="A. Reviewer",
                           printed_at=PRINTED_AT)
    assert made.archival and made.undrawn == () and made.note == ""
    assert b"pdfuaid" in made.data and b"pdfaid" in made.data
    everything = _flat(" ".join(pages_text(pdf)))
    for phrase in (BENGALI, TIGRINYA, CHINESE):
        assert phrase in everything, phrase
    # pdftotext reads a right-to-left line in visual order: the Urdu words, each as typed.
    assert all(word in everything for word in URDU.split())
    assert words_outside_text_area(pdf) == []


@pytest.mark.expect_log("^PDF made without the PDF/A-2a and PDF/UA-1 checks")
def test_a_script_with_no_font_on_the_laptop_still_gives_a_tagged_pdf_and_says_which(
        qapp: object, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Typst kept to Homevisit's own fonts, as on a laptop without the Noto packages: the
    PDF is still made and tagged (not marked PDF/A or PDF/UA), the Latin words are in it,
    and the note names each script and character so IT knows what to install; the log has
    the kind of error, never the words."""
    opened = visit_in_the_childs_words()
    source = visit_pdf_source(opened, printed_by="A. Reviewer",
                              printed_at=PRINTED_AT)
    with caplog.at_level(logging.WARNING):
        made = make_pdf(source, system_fonts=False)
    assert not made.archival
    assert made.data.startswith(b"%PDF-") and b"/StructTreeRoot" in made.data
    assert b"pdfuaid" not in made.data  # it does not claim what it is not
    assert {"আ", "ሰ", "我", "ہ"} <= set(made.undrawn)
    assert "ل" not in made.undrawn  # Arabic letters DejaVu Sans has are drawn
    for said in ("Bengali: আ (U+0986)", "Ethiopic (Tigrinya, Amharic)", "我 (U+6211)",
                 "Chinese, Japanese or Korean", "Arabic script", "ہ (U+06C1)",
                 "could not be drawn with the fonts on this laptop", "IT can install fonts"):
        assert said in made.note, said
    pdf = tmp_path / "visit.pdf"
    pdf.write_bytes(made.data)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    everything = " ".join(" ".join(pages_text(pdf)).split())
    assert "The child's own words" in everything and "Wd001x" in everything
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "a glyph no font on this laptop has" in logged
    assert not set(logged) & set(WORDS.replace(" ", "").replace("/", ""))


def test_characters_with_no_visible_form_are_dropped_and_the_pdf_made(tmp_path: Path) -> None:
    """A bell, an escape, a byte-order mark or a noncharacter pasted in has no glyph in any
    font, and PDF/A refuses a glyph no font has: they are dropped before Typst sees the
    words, tab, newline and return kept, and Word's manual line break kept as a line break."""
    assert printable("a\tb\nc\rd") == "a\tb\nc\rd"
    assert printable("x\x00\x07\x1b\x1f\ufeff\ufdd0\ufffe\uffff\U0001fffe\U0010ffffy") == "xy"
    assert printable("one\x0btwo\x0cthree") == "one\ntwo\nthree"
    assert printable("Zoë ليلى 王 \u200d\u00ad") == "Zoë ليلى 王 \u200d\u00ad"
    head = RunningHead("Home visit record", "Ana\x07 Nowak", "CP-1\ufeff", "ab" * 32,
                       "Record hash (SHA-256)", "A. Reviewer\x1b", PRINTED_AT)
    pdf = tmp_path / "controls.pdf"
    made = write_pdf(pdf, PdfSource(head, (
        Heading(1, "Words\x00"), Paragraph("Bell\x07here\ufeff, end\x0bnext line"),
        Table(("Question", "Answer"), ((Cell("Said\ufdd0"), Cell("Mum\x1b[31m said no")),),
              (35, 65), "Words"))))
    assert made.archival
    text = "\n".join(pages_text(pdf))
    assert "Bellhere, end\nnext line" in text
    assert "Mum[31m said no" in text and "Ana Nowak" in text and "Case CP-1" in text


def test_undrawn_characters_are_named_by_script_with_their_codes() -> None:
    named = scripts_named(["আ", "ই", "王", "\uf8ff", *"ሰላምኣማኑ"])
    assert named == ("Bengali: আ (U+0986), ই (U+0987); Chinese, Japanese or Korean: 王 "
                     "(U+738B); Ethiopic (Tigrinya, Amharic): ሰ (U+1230), ላ (U+120B), "
                     "ም (U+121D), ኣ (U+12A3), ማ (U+121B) and 1 more; Private use (a symbol "
                     "only some fonts have): \uf8ff (U+F8FF)")


@pytest.mark.expect_log("^PDF made without the PDF/A-2a and PDF/UA-1 checks")
def test_a_visit_with_a_character_no_font_has_is_saved_and_the_worker_told(
        qtbot: QtBot, household: Household, make_window: object, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the editor, as a worker does it: the child's words typed with a character no
    font on this laptop has (U+F8FF, a logo pasted from a Mac) beside Bengali. Save as PDF
    gives the PDF, the Bengali in it as typed, and a status naming what could not be drawn."""
    from ui.widgets import file_choice

    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(pdf_allowed=True, autosave_ms=60_000))
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    fill_whole_visit(qtbot, editor)
    words = field(editor.child_pages[0].essentials.form, "child_words")
    assert isinstance(words, TextBox)
    words.edit.setFocus()
    words.edit.insertPlainText(f" {BENGALI} \uf8ff")  # pasted: QTest types only ASCII
    submit(qtbot, editor)
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    destination = tmp_path / "conference.pdf"
    monkeypatch.setattr(file_choice, "choose_file_to_save", lambda *_: destination)
    qtbot.mouseClick(editor.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "U+F8FF" in editor.status.text(), timeout=15_000)
    status = editor.status.text()
    assert status.startswith("PDF saved, but some characters could not be drawn")
    assert "IT can install fonts" in status and "Bengali" not in status
    assert BENGALI in _flat(" ".join(pages_text(destination)))
