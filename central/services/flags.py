"""Why a team lead should look at a record central accepted. Flags never refuse a record.

Codes are stable strings (listed in docs/sync-protocol.md):
  case_unknown, child_unknown, child_not_on_case, child_not_allocated_to_worker,
  late_upload, incomplete_record, visit_not_received, addendum_chain_broken,
  visit_hash_mismatch, already_received, submitted_at_clamped.

Pure functions over what central holds (`holdings.Holdings`): no query per record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from central.services.context import DeviceContext
from central.services.holdings import Holdings, child_record
from records.case_notes import Note
from records.corrections import Addendum, ReviewDecision
from records.validation import problems_before_submit
from records.visit import Visit
from sync.protocol import Role

__all__ = ["child_record", "for_addendum", "for_note", "for_review", "for_visit",
           "submission_time"]

CLOCK_TOLERANCE = timedelta(minutes=5)
"""How far ahead of central's clock a laptop's submission time may be and still be kept."""


# complexity: the checks central makes on a pushed visit, in the order their refusals are worded
def for_visit(held: Holdings, ctx: DeviceContext, visit: Visit, *, late_after_hours: int,
              now: datetime) -> list[str]:
    found: list[str] = []
    if visit.case_id not in held.cases:
        found.append("case_unknown")
    child_ids = [o.child_id for o in visit.children]
    known = {child_id: held.children[child_id] for child_id in child_ids
             if child_id in held.children}
    if len(known) < len(set(child_ids)):
        found.append("child_unknown")
    if any(h.child.case_id != visit.case_id for h in known.values()):
        found.append("child_not_on_case")
    if any(h.allocated_to != ctx.user_id for h in known.values()):
        found.append("child_not_allocated_to_worker")
    finished = visit.ended_at or visit.started_at
    if finished is not None and now - finished > timedelta(hours=late_after_hours):
        found.append("late_upload")
    children = {child_id: h.child for child_id, h in known.items()}
    if problems_before_submit(visit, children, now=now):
        found.append("incomplete_record")
    return found


def for_note(held: Holdings, ctx: DeviceContext, note: Note) -> list[str]:
    """A note about a case or child central does not know, or not the worker's, is kept and
    flagged, never refused (a team lead's note may be about any child of the team)."""
    found: list[str] = []
    if note.case_id not in held.cases:
        found.append("case_unknown")
    known = [held.children[c] for c in note.child_ids if c in held.children]
    if len(known) < len(set(note.child_ids)):
        found.append("child_unknown")
    if any(h.child.case_id != note.case_id for h in known):
        found.append("child_not_on_case")
    if ctx.role is Role.WORKER and any(h.allocated_to != ctx.user_id for h in known):
        found.append("child_not_allocated_to_worker")
    return found


def for_addendum(held: Holdings, addendum: Addendum) -> list[str]:
    visit = held.visits.get(addendum.visit_id)
    if visit is None:
        return ["visit_not_received"]
    chain = held.addendum_hashes.get(addendum.visit_id, set()) | {visit.record_hash}
    forked = addendum.previous_hash in held.chained_from.get(addendum.visit_id, set())
    if addendum.previous_hash not in chain or forked:
        return ["addendum_chain_broken"]
    return []


def for_review(held: Holdings, review: ReviewDecision) -> list[str]:
    visit = held.visits.get(review.visit_id)
    if visit is None:
        return ["visit_not_received"]
    if visit.record_hash != review.visit_hash:
        return ["visit_hash_mismatch"]
    return []


def submission_time(claimed: datetime | None, earliest: datetime | None,
                    now: datetime) -> tuple[datetime | None, list[str]]:
    """The laptop's claim of when a record was submitted, as central keeps it, and its flags.

    Not signed, so only believed between the earliest the record could have been submitted
    (`earliest`: a visit's end, else its start; an addendum's writing) and central's receipt
    (`now`, with `CLOCK_TOLERANCE` for a clock a little fast, then held at `now`). Outside
    that, central's receipt time stands in and the record is flagged `submitted_at_clamped`.
    None: the laptop did not say.
    """
    if claimed is None:
        return None, []
    if claimed > now + CLOCK_TOLERANCE or (earliest is not None and claimed < earliest):
        return now, ["submitted_at_clamped"]
    return min(claimed, now), []
