"""The PDFs as records: every page rendered (pdftoppm) and read back (pdftotext) as a court
would read it. A running header and footer on every page, every field a worker can fill,
the hash copying out as the record's, nothing outside the page's margins, mode 0600."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import types
import typing
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from PySide6.QtGui import QColor, QImage

from records.canonical import chronology_hash, record_hash
from records.case_notes import AgencyNotification
from records.corrections import Addendum
from records.visit import BodyView, ExplanationSource, InjuryObservation, Visit
from storage.visits import StoredAddendum
from tests.factories import make_case, make_child, make_injury, make_notification
from ui.review.chronology import cumulative_marks, injury_lines, write_chronology_pdf
from ui.review_services import Chronology, ChronologyEvent, DatedInjury
from ui.services import OpenedVisit
from ui.widgets.labels import label
from ui.widgets.pdf_file import MARGIN_MM, PdfSource, RunningHead, day_text, time_text, write_pdf
from ui.widgets.private_file import write_private
from ui.widgets.record_blocks import Cell, Heading, Paragraph, Table
from ui.widgets.visit_pdf import write_visit_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (make test installs it)")

PRINTED_AT = datetime(2026, 12, 6, 17, 31, tzinfo=UTC)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# What the PDF calls each yes/no and number field: a value alone ("Yes", "3") says nothing.
ROW_OF = {
    "announced": "Announced", "absent_fathers_or_partners_asked_about": "Absent fathers or "
    "partners asked about", "new_to_household": "new to the household", "seen": "Seen",
    "seen_alone": "Seen alone", "spoken_to_alone": "Spoken to alone",
    "baby_seen_awake": "Baby seen awake", "bedroom_seen": "Bedroom seen",
    "locks_on_outside_of_door": "Lock on outside of door", "injuries_seen": "Injuries seen",
    "skin_broken": "Skin broken", "swelling": "Swelling", "bleeding": "Bleeding",
    "independently_mobile": "Independently mobile", "manager_informed": "Manager informed",
    "medical_referral": "Medical referral", "enough_food_in_home": "Enough food",
    "home_warm": "Warm", "bed_for_each_child": "Bed for each child",
    "hazards_seen": "Hazards seen", "health_appointments_kept": "Health appointments kept",
    "gcp2_physical_care": "physical care (1 best", "gcp2_safety": "safety (1 best",
    "gcp2_love_and_care": "love and care (1 best", "gcp2_esteem": "esteem (1 best",
    "domestic_abuse_since_last_visit": "Domestic abuse since last visit",
    "substance_use_concern": "Substance use concern", "household_changes": "Household changes",
    "risk_scale": "Signs of Safety scale (0 danger",
    "x": "On the body map", "y": "On the body map",
}
# References by id: shown through what they point at (tested below), or a count.
BY_REFERENCE = {"id", "case_id", "child_id", "photo_ids", "notifications_followed_up"}


class Filler:
    """Fills every field of a record with a value the PDF must show, and lists the words
    that show it: a word of its own for each text field, the label, date or row otherwise."""

    def __init__(self) -> None:
        self.count = 0
        self.expected: dict[str, str] = {}

    def fill(self, model: type[BaseModel], path: str, **given: Any) -> Any:
        values: dict[str, Any] = dict(given)
        for name, info in model.model_fields.items():
            if name in given:
                continue
            values[name] = self.value(info.annotation, f"{path}.{name}", name, info.metadata)
        return model(**values)

    def value(self, annotation: Any, path: str, name: str, metadata: list[Any]) -> Any:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin in (typing.Union, types.UnionType):
            inner = next(a for a in args if a is not type(None))
            return self.value(inner, path, name, metadata)
        if origin is typing.Annotated:
            return self.value(args[0], path, name, [*metadata, *args[1:]])
        if origin is tuple:
            return (self.value(args[0], f"{path}[0]", name, metadata),)
        if name in BY_REFERENCE or annotation is uuid.UUID:
            return uuid.uuid4()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.fill(annotation, path)
        if isinstance(annotation, type) and issubclass(annotation, StrEnum):
            member = list(annotation)[min(1, len(annotation) - 1)]
            # A part of the body follows its side as a phrase: "Child's right face".
            self.expected[path] = label(member).lower() if name == "region" else label(member)
            return member
        if annotation is bool:
            self.expected[path] = ROW_OF[name]
            return True
        if annotation is int:
            self.expected[path] = ROW_OF[name]
            return 3
        if annotation is Decimal:
            if name in ("x", "y"):
                self.expected[path] = ROW_OF[name]
                return Decimal("0.4")
            self.count += 1
            value = Decimal(f"{self.count}.5")
            self.expected[path] = f"{value} cm"
            return value
        if annotation is not date and "datetime" in str(annotation).lower():
            moment = datetime(2026, 11, 16, 14, self.count % 60, tzinfo=UTC)
            self.count += 1
            self.expected[path] = time_text(moment)
            return moment
        if annotation is date:
            self.count += 1
            day = date(2019, 1, 1) + timedelta(days=self.count * 37)
            self.expected[path] = day_text(day)
            return day
        assert annotation is str, f"{path}: {annotation} — teach the test this kind of field"
        self.count += 1
        word = f"Wd{self.count:03d}x"
        self.expected[path] = word
        return word


def full_visit() -> tuple[OpenedVisit, dict[str, str], AgencyNotification]:
    case = make_case()
    child = make_child(case)
    notification = make_notification(case, [child], summary="Police told us Nt01x.",
                                     reports_injury=True)
    filler = Filler()
    visit = filler.fill(Visit, "visit", id=uuid.uuid4(), case_id=case.id, children=())
    observation = filler.fill(type(visit).model_fields["children"].annotation.__args__[0],
                              "child", child_id=child.id, plan_type=child.plan_type,
                              injuries=(), notifications_followed_up=(notification.id,))
    injury = filler.fill(InjuryObservation, "injury", id=uuid.uuid4(), view=BodyView.BACK)
    off_map = make_injury(view=None, x=None, y=None, side=None,
                          explanation_given_by=ExplanationSource.NO_EXPLANATION_GIVEN,
                          recorded_by="Child's left")
    observation = observation.model_copy(update={"injuries": (injury, off_map)})
    visit = visit.model_copy(update={"children": (observation,)})
    stored = StoredAddendum(Addendum(id=uuid.uuid4(), visit_id=visit.id,
                                     previous_hash=record_hash(visit), reason="Ad01x",
                                     text="Ad02x", author="Ad03x", written_at=PRINTED_AT),
                            1, "0" * 64, b"")
    opened = OpenedVisit(visit, case, [child], True, addenda=[stored],
                         submitted_at=PRINTED_AT, record_hash=record_hash(visit),
                         notifications={child.id: [notification]})
    return opened, filler.expected, notification


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def render(pdf: Path, out: Path, dpi: int = 60) -> list[QImage]:
    """Every page as a PNG (pdftoppm), in page order."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out)], check=True)
    return [QImage(str(p)) for p in sorted(out.parent.glob(f"{out.name}-*.png"))]


def margins_blank(page: QImage, dpi: int) -> bool:
    """Nothing (text, timeline, body map) drawn in the page's margins."""
    edge = int((MARGIN_MM - 2) / 25.4 * dpi)
    white = QColor("white")
    for y in range(0, page.height(), 2):
        for x in [*range(0, edge), *range(page.width() - edge, page.width())]:
            if page.pixelColor(x, y) != white:
                return False
    for x in range(0, page.width(), 2):
        for y in [*range(0, edge), *range(page.height() - edge, page.height())]:
            if page.pixelColor(x, y) != white:
                return False
    return True


def words_outside_text_area(pdf: Path) -> list[str]:
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)
    assert page is not None
    width, height = float(page.group(1)), float(page.group(2))
    margin = (MARGIN_MM - 1) / 25.4 * 72
    outside = []
    for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            bbox):
        if (float(x0) < margin or float(y0) < margin or float(x1) > width - margin
                or float(y1) > height - margin):
            outside.append(word)
    return outside


def check_running_head(pages: list[str], reference: str, born: str, hash_: str) -> None:
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        # "Continued" only where something goes on, and said at both ends of the break.
        continues = f"Continued on page {number + 1}" in flat
        assert continues == (number < len(pages) and "(continued from page "
                             f"{number})" in " ".join(pages[number].split())), number
        assert f"Page {number} of {len(pages)}" in flat
        assert flat.count("OFFICIAL-SENSITIVE") == 2, number
        assert f"Case {reference}" in flat and born in flat, number
        assert hash_ in flat, number
        assert f"Printed by A. Reviewer on {time_text(PRINTED_AT)}" in flat, number


def test_a_fully_filled_visit_shows_every_field_on_pages_that_say_whose_they_are(
        qapp: object, tmp_path: Path) -> None:
    opened, expected, notification = full_visit()
    pdf = tmp_path / "visit.pdf"
    write_visit_pdf(opened, pdf, printed_by="A. Reviewer", printed_at=PRINTED_AT)

    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    pages = pages_text(pdf)
    assert len(pages) >= 3
    everything = " ".join(" ".join(pages).split())
    missing = {path: words for path, words in expected.items() if words not in everything}
    assert missing == {}
    assert notification.summary in everything  # discussed with the child
    assert "(Reports an injury): Police told us Nt01x." in " ".join(everything.split())
    assert "Ad01x" in everything and "Ad02x" in everything  # the addendum
    assert "injury 2" in everything and "not on the map" in everything
    assert "Child's left" in everything and "&#x27;" not in everything and "&amp;" not in \
        everything
    assert opened.record_hash is not None
    check_running_head(pages, opened.case.reference, day_text(date(2020, 3, 2)),
                       opened.record_hash)
    # The hash copies out as the record's: whole, on one line, no ligature glyphs anywhere.
    assert set(re.findall(r"\b[0-9a-f]{20,}\b", everything)) == {opened.record_hash}
    assert not re.search("[\ufb00-\ufb06]", everything)
    assert words_outside_text_area(pdf) == []
    images = render(pdf, tmp_path / "visit", dpi=60)
    assert len(images) == len(pages)
    assert all(margins_blank(image, 60) for image in images)


def long_chronology() -> Chronology:
    case = make_case()
    ana = make_child(case)
    start = date(2025, 1, 6)
    events: list[ChronologyEvent] = []
    injuries: list[DatedInjury] = []
    for week in range(0, 100, 3):
        day = start + timedelta(weeks=week)
        events.append(ChronologyEvent(day, "visit", f"Visit {week // 3 + 1}: seen alone"))
    for week, view in ((20, BodyView.FRONT), (60, BodyView.BACK), (97, None)):
        day = start + timedelta(weeks=week)
        injury = make_injury(view=view, x=None if view is None else Decimal("0.5"),
                             y=None if view is None else Decimal("0.4"))
        injuries.append(DatedInjury(day, injury))
        events.append(ChronologyEvent(day, "injury", "Bruise, left upper arm", red=True))
    newest = start + timedelta(weeks=99)
    events.append(ChronologyEvent(newest, "flag", "Not seen alone at the last visit", red=True))
    events.sort(key=lambda e: e.day)
    content = chronology_hash(((e.day, e.kind, e.text, e.red) for e in events),
                              (i.injury for i in injuries))
    return Chronology(ana, events, injuries, [], case.reference, content)


def test_a_long_chronology_fits_the_page_and_says_whose_it_is(
        qapp: object, tmp_path: Path) -> None:
    chronology = long_chronology()
    pdf = tmp_path / "chronology.pdf"
    write_chronology_pdf(chronology, pdf, printed_by="A. Reviewer", printed_at=PRINTED_AT)

    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    pages = pages_text(pdf)
    assert len(pages) >= 2
    check_running_head(pages, chronology.case_reference, day_text(date(2020, 3, 2)),
                       chronology.content_hash)
    everything = " ".join(" ".join(pages).split())
    assert "Not seen alone at the last visit" in everything  # the newest event
    assert "not on the map" in everything
    assert "no_explanation" not in everything and "upper_arm" not in everything
    assert words_outside_text_area(pdf) == []
    images = render(pdf, tmp_path / "chronology", dpi=60)
    assert len(images) == len(pages)
    assert all(margins_blank(image, 60) for image in images)


def test_no_table_row_is_cut_across_two_pages(qapp: object, tmp_path: Path) -> None:
    """Rows of several lines, enough for some to meet a page break: each row's lines stay
    on one page with its label, and the table carried on repeats its header row."""
    head = RunningHead("Home visit record", "Ana Nowak, born 2 Mar 2020", "CP-1", "ab" * 32,
                       "Record hash (SHA-256)", "A. Reviewer", PRINTED_AT)
    rows = tuple((Cell(f"Rw{row:02d}x"), Cell("\n".join(
        f"Rw{row:02d}x line {line}" for line in range(3 + row % 5)))) for row in range(60))
    pdf = tmp_path / "rows.pdf"
    write_pdf(pdf, PdfSource(head, (Heading(1, "Many rows"),
                                    Table(("What", "Lines"), rows, (35, 65), "Many rows"))))
    pages = pages_text(pdf)
    assert len(pages) >= 3
    for row in range(60):
        label_page = next(n for n, page in enumerate(pages) if f"Rw{row:02d}x\n" in page
                          or f"Rw{row:02d}x " in page.replace("\n", " "))
        on = {n for n, page in enumerate(pages) for line in range(3 + row % 5)
              if f"Rw{row:02d}x line {line}" in page}
        assert on == {label_page}, f"row {row} cut across pages {sorted(on)}"
    for number, page in enumerate(pages[1:], start=2):
        flat = " ".join(page.split())
        assert f"Many rows (continued from page {number - 1})" in flat
        assert "What Lines" in flat  # the header row, repeated
    check_running_head(pages, "CP-1", "2 Mar 2020", "ab" * 32)
    assert words_outside_text_area(pdf) == []


def test_earlier_injuries_are_faded_and_unpositioned_ones_listed() -> None:
    chronology = long_chronology()
    marks = cumulative_marks(chronology.injuries)
    assert [m.earlier for m in marks] == [True, True]  # the latest injury has no position
    lines = injury_lines(chronology.injuries)
    assert "not on the map" in lines[2] and "not on the map" not in lines[0]
    assert "Left Upper arm" in lines[0] or "left" in lines[0].lower()


def test_private_file_is_mode_0600_and_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "visit.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private(target, b"new record")
    assert target.read_bytes() == b"new record"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["visit.pdf"]


def test_a_pdf_that_cannot_be_written_leaves_nothing_behind(qapp: object,
                                                            tmp_path: Path) -> None:
    head = RunningHead("Home visit record", "Ana Nowak, born 2 Mar 2020", "CP-1", None,
                       "Record hash (SHA-256)", "A. Reviewer", PRINTED_AT)
    with pytest.raises(OSError):
        write_pdf(tmp_path / "missing" / "visit.pdf", PdfSource(head, (Paragraph("Record"),)))
    assert list(tmp_path.iterdir()) == []


def test_screenshots_of_every_page(qapp: object, tmp_path: Path) -> None:
    """Every page of a full visit and of a long chronology rendered as PNGs; written to
    docs/screenshots/pdf-*.png only when HOMEVISIT_PDF_SCREENSHOTS is set (`make
    screenshots`), so the suite itself writes nothing in the project."""
    import os

    folder = SCREENSHOTS if os.environ.get("HOMEVISIT_PDF_SCREENSHOTS") else tmp_path / "shots"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("pdf-*.png"):
        old.unlink()
    opened, _, _ = full_visit()
    write_visit_pdf(opened, tmp_path / "v.pdf", printed_by="A. Reviewer",
                    printed_at=PRINTED_AT)
    write_chronology_pdf(long_chronology(), tmp_path / "c.pdf", printed_by="A. Reviewer",
                         printed_at=PRINTED_AT)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(tmp_path / "v.pdf"),
                    str(folder / "pdf-visit")], check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(tmp_path / "c.pdf"),
                    str(folder / "pdf-chronology")], check=True)
    visit_pages = sorted(folder.glob("pdf-visit-*.png"))
    chronology_pages = sorted(folder.glob("pdf-chronology-*.png"))
    assert len(visit_pages) >= 2 and len(chronology_pages) >= 2
    assert all(page.stat().st_size > 10_000 for page in visit_pages + chronology_pages)


def test_a_word_longer_than_a_line_wraps_inside_the_page(tmp_path: Path) -> None:
    """A run with no space (a pasted reference, a child's "nooooo…") is broken across lines
    inside its paragraph or cell, never cut off at the page's edge, and copies out whole."""
    head = RunningHead("Home visit record", "Ana Nowak, born 2 Mar 2020", "CP-1", "ab" * 32,
                       "Record hash (SHA-256)", "A. Reviewer", PRINTED_AT)
    run = "N" + "o" * 298 + "!"
    pdf = tmp_path / "long.pdf"
    write_pdf(pdf, PdfSource(head, (Heading(1, "Long words"), Paragraph(run), Table(
        ("Question", "Answer"), ((Cell("The child's own words"), Cell(run)),), (35, 65),
        "Long words"))))
    assert words_outside_text_area(pdf) == []
    assert "".join("".join(pages_text(pdf)).split()).count(run) == 2


def test_a_heading_is_never_left_at_the_foot_of_a_page(tmp_path: Path) -> None:
    """Whatever comes before it, a heading is on the same page as its table's first row."""
    head = RunningHead("Home visit record", "Ana Nowak, born 2 Mar 2020", "CP-1", "ab" * 32,
                       "Record hash (SHA-256)", "A. Reviewer", PRINTED_AT)
    for lines in range(38, 50):  # page 1 fills up at 41 lines here
        pdf = tmp_path / f"heading-{lines}.pdf"
        write_pdf(pdf, PdfSource(head, (
            Heading(1, "Filling"), *(Paragraph(f"Line {n}") for n in range(lines)),
            Heading(2, "Hd01x"), Table(("Question", "Answer"), (
                (Cell("Rw01x"), Cell("First answer")),), (35, 65), "Hd01x"))))
        pages = pages_text(pdf)
        assert [n for n, page in enumerate(pages) if "Hd01x" in page.split("\n")] == [
            n for n, page in enumerate(pages) if "Rw01x" in page], lines
