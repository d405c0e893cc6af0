"""A submitted visit as a PDF for a case conference or court: every field the worker
recorded, body maps included, under a running header and footer (ui.widgets.pdf_file).

`visit_blocks` is also what the team lead's review screen shows (`visit_html`), so screen
and paper agree. `visit_pdf_source` runs on the UI thread (the words are translated there);
the layout and writing (`pdf_file.make_pdf`) run on the vault lane.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from records.case import Child
from records.case_notes import AgencyNotification
from records.flag_types import Flag
from records.visit import ChildObservation, InjuryObservation, PersonPresent, Visit
from records.wording import counted
from ui.services import OpenedVisit
from ui.widgets.body_map import marks_for
from ui.widgets.body_map_svg import body_map_svg
from ui.widgets.labels import label, where_words
from ui.widgets.pdf_file import MadePdf, PdfSource, RunningHead, day_text, time_text, write_pdf
from ui.widgets.record_blocks import (
    Block,
    Cell,
    Figure,
    Heading,
    Paragraph,
    Table,
    answers,
    blocks_html,
)

VISIT_TITLE = "Home visit record"
ANSWER_HEADER = ("Question", "Answer")


# complexity: one branch per value type the record holds
def _plain(value: Any) -> str:
    """The words for one value: a choice by its label, never its raw value; every date and
    time in the one form the PDF uses."""
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return time_text(value)
    if isinstance(value, date):
        return day_text(value)
    if isinstance(value, tuple):
        return ", ".join(_plain(v) for v in value)
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return label(value)
    return str(value)


def _table(rows: Sequence[tuple[str, Any]], under: str,
           header: tuple[str, str] = ANSWER_HEADER) -> Table:
    return answers(header, [(question, value if isinstance(value, Cell) else _plain(value))
                            for question, value in rows], under)


def _hash(record_hash: str | None) -> Cell | None:
    """The hash monospace without ligatures, small enough for one line, so a copied hash
    matches (it is also in every page's footer)."""
    return Cell(record_hash, mono=True) if record_hash else None


def _size(injury: InjuryObservation) -> str | None:
    if injury.length_cm is None and injury.width_cm is None:
        return None
    return f"{_plain(injury.length_cm)} cm long × {_plain(injury.width_cm)} cm wide"


def _on_map(injury: InjuryObservation) -> bool:
    return injury.view is not None and injury.x is not None and injury.y is not None


def _injury_blocks(number: int, injury: InjuryObservation) -> list[Block]:
    title = f"Injury {number}"
    where = where_words(injury.side, injury.region) or None
    return [Heading(3, title), _table([
        ("Where", where),
        ("On the body map", f"Yes ({_plain(injury.view)} view)" if _on_map(injury)
         else "No — not on the map (no position was marked)"),
        ("Type", injury.injury_type), ("Size", _size(injury)), ("Shape", injury.shape),
        ("Colours", injury.colours), ("Skin broken", injury.skin_broken),
        ("Swelling", injury.swelling), ("Bleeding", injury.bleeding),
        ("When seen", injury.seen_at), ("Recorded by", injury.recorded_by),
        ("Explained by", injury.explanation_given_by),
        ("Their exact words", injury.explanation_words),
        ("The child's account", injury.child_account),
        ("Consistent with explanation", injury.consistent_with_explanation),
        ("Independently mobile", injury.independently_mobile),
        ("Manager informed", injury.manager_informed),
        ("Medical referral", injury.medical_referral),
        ("Photos in the vault", len(injury.photo_ids)),
    ], title)]


def _born(child: Child) -> str:
    return f"born {day_text(child.date_of_birth)}" if child.date_of_birth else "date of birth " \
        "not recorded"


def body_map_words(name: str, injuries: Sequence[InjuryObservation]) -> str:
    """What a screen reader says for the body map picture: each mark in words, and the
    injuries that have no place on it."""
    said = []
    for number, injury in enumerate(injuries, start=1):
        what = label(injury.injury_type) if injury.injury_type else "Injury"
        where = where_words(injury.side, injury.region) or "place not recorded"
        said.append(f"injury {number}, {what}, {where}, " + (
            f"marked on the {_plain(injury.view).lower()} view" if _on_map(injury)
            else "not on the map"))
    return f"Body map of {name}, front and back: " + "; ".join(said) + "."


def _child_blocks(child: Child, seen: ChildObservation,
                  followed_up: Sequence[AgencyNotification]) -> list[Block]:
    title = f"{child.display_name} — {_born(child)}"
    blocks: list[Block] = [Heading(2, title), _table([
        ("Plan", seen.plan_type),
        ("Seen", seen.seen), ("Reason not seen", seen.reason_not_seen),
        ("Seen alone", seen.seen_alone),
        ("Reason not seen alone", seen.reason_not_seen_alone),
        ("Spoken to alone", seen.spoken_to_alone),
        ("Reason not spoken to alone", seen.reason_not_spoken_to_alone),
        ("Baby seen awake", seen.baby_seen_awake), ("Bedroom seen", seen.bedroom_seen),
        ("Reason bedroom not seen", seen.reason_bedroom_not_seen),
        ("Sleeping arrangements", seen.sleeping_arrangements),
        ("Lock on outside of door", seen.locks_on_outside_of_door),
        ("The child's own words", seen.child_words),
        ("How the child communicated", seen.communication_methods),
        ("Wishes and feelings", seen.wishes_and_feelings),
        ("Why words were not recorded", seen.reason_words_not_recorded),
        ("Demeanour", seen.demeanour), ("Clothing and hygiene", seen.clothing_and_hygiene),
        ("Interaction with carers", seen.interaction_with_carers),
        ("Food or weight concern", seen.food_concern),
        ("Food concern details", seen.food_concern_details),
        ("Other agencies' information discussed with the child",
         "; ".join(f"{n.source}, {day_text(n.received_on)}"
                   f"{f' ({n.reports_said})' if n.reports_said else ''}: {n.summary}"
                   for n in followed_up) or (
             counted(len(seen.notifications_followed_up), "notification")
             if seen.notifications_followed_up else None)),
        ("Injuries seen", seen.injuries_seen),
    ], title)]
    if seen.injuries:
        blocks += [Heading(3, f"Body map — {child.display_name}"),
                   Figure(body_map_svg(marks_for(seen.injuries)),
                          body_map_words(child.display_name, seen.injuries), 55)]
        off_map = [n for n, i in enumerate(seen.injuries, start=1) if not _on_map(i)]
        if off_map:
            blocks.append(Paragraph("Not on the map (no position was marked): "
                                    + ", ".join(f"injury {n}" for n in off_map) + "."))
        for number, injury in enumerate(seen.injuries, start=1):
            blocks += _injury_blocks(number, injury)
    return blocks


def _person(person: PersonPresent) -> str:
    details = [person.relationship or "relationship not recorded"]
    if person.date_of_birth:
        details.append(f"born {day_text(person.date_of_birth)}")
    if person.new_to_household is not None:
        details.append("new to the household" if person.new_to_household
                       else "not new to the household")
    return f"{person.name} ({', '.join(details)})"


def _interpreter(visit: Visit) -> str | None:
    found = visit.interpreter
    if found is None or found.kind is None:
        return None
    words = label(found.kind)
    if found.name:
        words += f": {found.name}"
    return words + (f" (language: {found.language})" if found.language else "")


def visit_blocks(opened: OpenedVisit, flags: Sequence[Flag] = ()) -> list[Block]:
    """The visit as headings, tables and pictures: the PDF's content and the review
    screen's."""
    title = f"Home visit — case {opened.case.reference}"
    blocks: list[Block] = [Heading(1, title), _visit_table(opened, title)]
    if flags:
        blocks += [Heading(2, "Flags this visit raised"), answers(
            ("Severity", "Reason"), [(f.severity.value.capitalize(), f.reason) for f in flags],
            "Flags this visit raised")]
    blocks += _children_blocks(opened)
    blocks += _home_to_next_visit(opened.visit)
    for stored in opened.addenda:
        title = f"Addendum {stored.sequence}"
        blocks += [Heading(2, title), _table([
            ("Written", stored.addendum.written_at), ("Author", stored.addendum.author),
            ("Reason", stored.addendum.reason), ("Addendum", stored.addendum.text)], title)]
    return blocks


def visit_html(opened: OpenedVisit, flags: Sequence[Flag] = ()) -> tuple[str, list[str]]:
    """The visit as HTML for the review screen, and its pictures (SVG) in order: the
    `<img src='figure-n'>` of `record_blocks.blocks_html`."""
    blocks = visit_blocks(opened, flags)
    return blocks_html(blocks), [b.svg for b in blocks if isinstance(b, Figure)]


def _visit_table(opened: OpenedVisit, under: str) -> Table:
    """The visit itself (section A and B): who, when, where, who was there, the languages."""
    visit: Visit = opened.visit
    return _table([
        ("Worker", visit.worker), ("Type", visit.visit_type), ("Announced", visit.announced),
        ("Started", visit.started_at), ("Ended", visit.ended_at),
        ("Location", visit.location), ("Purpose", visit.purpose), ("Outcome", visit.outcome),
        ("Why there was no access", visit.no_access_reasons),
        ("Steps taken after no access", visit.no_access_steps_taken),
        ("People present", "; ".join(_person(p) for p in visit.people_present)),
        ("Absent fathers or partners asked about",
         visit.absent_fathers_or_partners_asked_about),
        ("Language of the children", visit.language_of_children),
        ("Language of the parents", visit.language_of_parents),
        ("Interpreter", _interpreter(visit)),
        ("Why no professional interpreter", visit.interpreter.reason_none_available
         if visit.interpreter else None),
        ("Submitted", opened.submitted_at),
        ("Record hash (SHA-256)", _hash(opened.record_hash)),
    ], under)


def _children_blocks(opened: OpenedVisit) -> list[Block]:
    """Each child on the visit (section C and D), with the agencies' notes followed up."""
    children = {c.id: c for c in opened.children}
    blocks: list[Block] = []
    for observation in opened.visit.children:
        child = children.get(observation.child_id)
        if child is not None:
            followed = [n for n in opened.notifications.get(child.id, [])
                        if n.id in observation.notifications_followed_up]
            blocks += _child_blocks(child, observation, followed)
    return blocks


def _home_to_next_visit(visit: Visit) -> list[Block]:
    """Home conditions, adults and risk, analysis, actions, sharing and the next visit."""
    home, risk = visit.home, visit.adults_and_risk
    grade = "(1 best – 5 worst)"
    return [
        Heading(2, "Home conditions"),
        _table([("Description", home.description), ("Enough food", home.enough_food_in_home),
                ("Warm", home.home_warm), ("Bed for each child", home.bed_for_each_child),
                ("Hazards seen", home.hazards_seen), ("Hazards", home.hazards_details),
                ("Health appointments kept", home.health_appointments_kept),
                (f"Graded Care Profile 2: physical care {grade}", home.gcp2_physical_care),
                (f"Graded Care Profile 2: safety {grade}", home.gcp2_safety),
                (f"Graded Care Profile 2: love and care {grade}", home.gcp2_love_and_care),
                (f"Graded Care Profile 2: esteem {grade}", home.gcp2_esteem)],
               "Home conditions"),
        Heading(2, "Adults and risk"),
        _table([("Domestic abuse since last visit", risk.domestic_abuse_since_last_visit),
                ("Domestic abuse details", risk.domestic_abuse_details),
                ("Household changes", risk.household_changes),
                ("Household changes details", risk.household_changes_details),
                ("Substance use concern", risk.substance_use_concern),
                ("Substance use details", risk.substance_use_details),
                ("Signs of Safety scale (0 danger – 10 safe)", risk.risk_scale)],
               "Adults and risk"),
        Heading(2, "Analysis"), Paragraph(_plain(visit.analysis)),
        Heading(2, "Actions"),
        _table([(a.what, f"{a.who or '—'}, by {day_text(a.by_when)}") for a in visit.actions]
               or [("None", "")], "Actions", ("Action", "Who, and by when")),
        Heading(2, "Information shared"),
        _table([(f"With {i.with_whom or '—'} on {day_text(i.shared_on)}",
                 f"{i.what} (legal basis: {i.legal_basis or '—'})")
                for i in visit.information_shared] or [("None", "")], "Information shared",
               ("With whom, and when", "What, and the legal basis")),
        Heading(2, "Next visit due"), Paragraph(_plain(visit.next_visit_due)),
    ]


HEAD_CHILDREN = 3
"""The most children the running header names; a larger family is named by its first child
and a count ("… and 5 other children"), each named in full in the record's own sections."""


def visit_head(opened: OpenedVisit, printed_by: str, printed_at: datetime) -> RunningHead:
    seen: set[UUID] = {o.child_id for o in opened.visit.children}
    named = [f"{c.display_name}, {_born(c)}" for c in opened.children if c.id in seen]
    if len(named) > HEAD_CHILDREN:
        named = [f"{named[0]}, and {len(named) - 1} other children"]
    people = "; ".join(named) or "No child recorded"
    return RunningHead(VISIT_TITLE, people, opened.case.reference, opened.record_hash,
                       "Record hash (SHA-256)", printed_by, printed_at)


def visit_pdf_source(opened: OpenedVisit, *, printed_by: str, printed_at: datetime,
                     flags: Sequence[Flag] = ()) -> PdfSource:
    """What the visit's PDF is made from: made on the UI thread (its words are translated
    there), laid out and written on the vault lane (`pdf_file.make_pdf`)."""
    return PdfSource(visit_head(opened, printed_by, printed_at), visit_blocks(opened, flags))


def write_visit_pdf(opened: OpenedVisit, destination: Path, *, printed_by: str,
                    printed_at: datetime, flags: Sequence[Flag] = ()) -> MadePdf:
    """The visit as a PDF at `destination`, mode 0600, whole or not at all."""
    return write_pdf(destination, visit_pdf_source(opened, printed_by=printed_by,
                                            printed_at=printed_at, flags=flags))
