"""A submitted visit as a PDF for a case conference, body maps included (Qt's PDF writer).

The file is written beside its destination and moved into place only when complete, so
a half-written copy of a child's record is never left behind under the chosen name.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from records.case import Child
from records.visit import ChildObservation, Visit
from ui.services import OpenedVisit
from ui.widgets.body_map import body_map_image, marks_for
from ui.widgets.labels import label
from ui.widgets.pdf_file import write_pdf


def _text(value: Any) -> str:
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, tuple):
        return ", ".join(_text(v) for v in value)
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return html.escape(label(value))
    return html.escape(str(value)).replace("\n", "<br>")


def _table(rows: Iterable[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th align='left' width='35%'>{html.escape(k)}</th><td>{_text(v)}</td>"
                   f"</tr>" for k, v in rows)
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>{body}</table>"


def _child_html(document: QTextDocument, child: Child, seen: ChildObservation) -> str:
    parts = [f"<h2>{html.escape(child.display_name)} — {html.escape(label(child.plan_type))}</h2>",
             _table([
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
                 ("Injuries seen", seen.injuries_seen),
             ])]
    if seen.injuries:
        name = f"bodymap-{seen.child_id}"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                             body_map_image(marks_for(seen.injuries)))
        parts.append(f"<h3>Body map</h3><p><img src='{name}' width='360'></p>")
        for number, injury in enumerate(seen.injuries, start=1):
            parts.append(f"<h3>Injury {number}</h3>" + _table([
                ("Where", f"{_text(injury.side)} {_text(injury.region)}"),
                ("Type", injury.injury_type),
                ("Size (cm)", f"{_text(injury.length_cm)} × {_text(injury.width_cm)}"),
                ("Colours", injury.colours), ("Skin broken", injury.skin_broken),
                ("Explained by", injury.explanation_given_by),
                ("Their exact words", injury.explanation_words),
                ("The child's account", injury.child_account),
                ("Consistent with explanation", injury.consistent_with_explanation),
                ("Independently mobile", injury.independently_mobile),
                ("Manager informed", injury.manager_informed),
                ("Medical referral", injury.medical_referral),
                ("Photos in the vault", len(injury.photo_ids)),
            ]))
    return "".join(parts)


def visit_html(document: QTextDocument, opened: OpenedVisit) -> str:
    visit: Visit = opened.visit
    children = {c.id: c for c in opened.children}
    parts = [
        f"<h1>Home visit — case {html.escape(opened.case.reference)}</h1>",
        _table([
            ("Worker", visit.worker), ("Type", visit.visit_type), ("Announced", visit.announced),
            ("Started", visit.started_at.astimezone().strftime("%d %b %Y %H:%M")
             if visit.started_at else None),
            ("Ended", visit.ended_at.astimezone().strftime("%d %b %Y %H:%M")
             if visit.ended_at else None),
            ("Location", visit.location), ("Purpose", visit.purpose), ("Outcome", visit.outcome),
            ("People present", "; ".join(f"{p.name} ({p.relationship})"
                                         for p in visit.people_present)),
            ("Languages", f"children: {visit.language_of_children}; "
                          f"parents: {visit.language_of_parents}"),
            ("Interpreter", f"{label(visit.interpreter.kind)}: {visit.interpreter.name}"
             if visit.interpreter and visit.interpreter.kind else None),
            ("Submitted", opened.submitted_at.astimezone().strftime("%d %b %Y %H:%M")
             if opened.submitted_at else None),
            ("Record hash (SHA-256)", opened.record_hash),
        ]),
    ]
    for observation in visit.children:
        child = children.get(observation.child_id)
        if child is not None:
            parts.append(_child_html(document, child, observation))
    home, risk = visit.home, visit.adults_and_risk
    parts += [
        "<h2>Home conditions</h2>",
        _table([("Description", home.description), ("Enough food", home.enough_food_in_home),
                ("Warm", home.home_warm), ("Bed for each child", home.bed_for_each_child),
                ("Hazards", home.hazards_details or home.hazards_seen)]),
        "<h2>Adults and risk</h2>",
        _table([("Domestic abuse since last visit", risk.domestic_abuse_since_last_visit),
                ("Details", risk.domestic_abuse_details),
                ("Household changes", risk.household_changes_details or risk.household_changes),
                ("Substance use concern", risk.substance_use_details
                 or risk.substance_use_concern)]),
        "<h2>Analysis</h2>", f"<p>{_text(visit.analysis)}</p>",
        "<h2>Actions</h2>",
        _table([(a.what, f"{a.who}, by {a.by_when}") for a in visit.actions] or [("None", "")]),
        "<h2>Next visit due</h2>", f"<p>{_text(visit.next_visit_due)}</p>",
    ]
    for stored in opened.addenda:
        a = stored.addendum
        parts.append(f"<h2>Addendum {stored.sequence}</h2>" + _table([
            ("Written", a.written_at.astimezone().strftime("%d %b %Y %H:%M")),
            ("Author", a.author), ("Reason", a.reason), ("Addendum", a.text)]))
    return "".join(parts)


def write_visit_pdf(opened: OpenedVisit, destination: Path) -> None:
    """Write the PDF beside `destination`, then move it into place in one step."""
    write_pdf(destination, "Home visit record", lambda document: visit_html(document, opened))
