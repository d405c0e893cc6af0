"""The team lead's screens' operations (`ui.review_services.ReviewServices`) over a session.

Every method runs on the vault lane, one at a time, on the session's connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

from desktop_app.cli.review import rules_of
from desktop_app.policy import Policy
from desktop_app.pulled_visits import open_pulled_visit
from desktop_app.session import Session
from records.canonical import chronology_hash
from records.case import Child
from records.case_notes import AgencyNotification, ConcernConsidered, Note, Supervision
from records.contracts import Dashboard, QueueRow
from records.corrections import ReviewOutcome
from records.flag_fold import ChildFold, fold_visits
from records.flag_types import Flag, day_text, local_day
from records.flags import PATTERN_CODES, device_not_synced, pattern_concerns, unsynced_hours
from records.last_seen import Timeliness, counts_as_seen, timeliness_of_each
from records.schedule import WorkingCalendar
from records.visit import ChildObservation, InjuryObservation, Visit, VisitOutcome, VisitType
from records.wording import counted
from storage.audit import AuditAction
from storage.refusals import VisitNotFound
from storage.review_decisions import ReviewDesk
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from sync.ledger import SyncLedger
from ui.review_services import Chronology, ChronologyEvent, DatedInjury, ReviewNote


class VaultReviewServices:
    """What the review screen may do with the vault, and nothing else."""

    def __init__(self, session: Session, policy: Policy, calendar: WorkingCalendar | None = None,
                 *, reviewer: str = "",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        conn = session.vault.connection
        self.workspace = session.workspace
        self.pdf_allowed = policy.pdf_allowed
        self._clock = clock
        self._rules = rules_of(policy, calendar)
        self.thresholds = self._rules.thresholds
        self._index = ReviewIndex(conn, self._rules, clock)
        self._queries = ReviewQueries(conn)
        enrollment = SyncLedger(conn).enrollment()
        name = reviewer or (enrollment.display_name if enrollment else "Team lead")
        self._desk = ReviewDesk(conn, self.workspace.device, self.workspace.audit, self._index,
                                reviewer=name, clock=clock)
        self.reviewer = name

    def record_oversight(self, note: Supervision | ConcernConsidered) -> Chronology:
        """Sign and store a supervision or a considered concern (queued for central), recompute
        the child's flags at once, and give back their chronology as it now stands."""
        if isinstance(note, ConcernConsidered) and not note.considered_by.strip():
            note = note.model_copy(update={"considered_by": self.reviewer})
        elif isinstance(note, Supervision) and not note.entered_by.strip():
            note = note.model_copy(update={"entered_by": self.reviewer})
        self.workspace.notes.record(note)
        self._index.recompute(note.child_ids)
        return self.chronology(note.child_ids[0])

    def refresh_review(self) -> int:
        """Index what was pulled; returns the children whose flags were recomputed."""
        return self._index.refresh(daily=False).children_recomputed

    def refresh_stale(self) -> int:
        """Recompute one chunk of children whose date-only flags are from an earlier day."""
        return self._index.refresh_stale()

    def queue_count(self) -> int:
        return self._queries.queue_count()

    def queue_page(self, offset: int, limit: int) -> list[QueueRow]:
        return self._queries.queue_page(offset, limit)

    # complexity: reads one note's parts under one lane job; each None is a calm refusal
    def review_note(self, visit_id: UUID) -> ReviewNote:
        row = self._queries.queue_row(visit_id)
        children = self._index.children_of_visit(visit_id)
        if row is None or not children:
            raise VisitNotFound()
        opened = open_pulled_visit(self._index, self._queries, self.workspace.cases,
                                   self.workspace.audit, visit_id)
        flags = [f for child in children for f in self._queries.flags_of_child(child)
                 if visit_id in f.visit_ids]
        flags += self._device_flags(opened.children[0]) if opened.children else []
        return ReviewNote(opened, row, sorted(flags, key=lambda f: f.sort_key),
                          self._queries.decisions_on(visit_id))

    def sign_off(self, visit_id: UUID, comment: str) -> QueueRow | None:
        self._desk.decide(visit_id, ReviewOutcome.SIGNED_OFF, comment)
        return self._queries.queue_row(visit_id)

    def return_with_question(self, visit_id: UUID, question: str) -> QueueRow | None:
        self._desk.return_with_question(visit_id, question)
        return self._queries.queue_row(visit_id)

    def escalate(self, visit_id: UUID, escalation: str) -> QueueRow | None:
        self._desk.escalate(visit_id, escalation)
        return self._queries.queue_row(visit_id)

    def dashboard(self) -> Dashboard:
        now = self._clock()
        found = self._queries.dashboard(
            local_day(now), injury_days=self.thresholds.repeat_injury_window_days,
            alone_visits=self.thresholds.not_seen_alone_red_streak)
        return replace(found, workers=[
            replace(load, unsynced_hours=unsynced_hours(load.last_device_contact, now,
                                                        self.thresholds))
            if load.last_device_contact else load for load in found.workers])

    def _device_flags(self, child: Child) -> list[Flag]:
        """`device not synced`, worked out now from central's last word on the laptop."""
        contact = self._queries.last_contact(self._queries.worker_of_child(child.id))
        if contact is None:
            return []
        return device_not_synced(child, contact, self._clock(), self.thresholds)

    # complexity: one event per kind of fact, built in one pass in date order
    def chronology(self, child_id: UUID) -> Chronology:
        history = self._index.history(child_id)
        if history is None:
            raise VisitNotFound()
        events: list[ChronologyEvent] = []
        injuries: list[DatedInjury] = []
        child = history.child
        each = timeliness_of_each(child, [r.visit for r in history.visits],
                                  self._rules.standards, self._rules.calendar)
        for record in sorted(history.visits, key=lambda r: r.day):
            visit, day = record.visit, record.day
            seen = visit.observation_for(child_id)
            on_time = each.get(visit.id)
            events.append(ChronologyEvent(day, "visit", _visit_text(visit, seen, on_time),
                                          red=on_time is not None and not on_time.on_time))
            for injury in seen.injuries if seen else ():
                injuries.append(DatedInjury(day, injury))
                events.append(ChronologyEvent(day, "injury", _injury_text(injury), red=True))
            for addendum in record.addenda:
                events.append(ChronologyEvent(local_day(addendum.written_at), "addendum",
                                              f"Addendum: {addendum.reason}"))
            for review in record.reviews:
                events.append(ChronologyEvent(
                    local_day(review.decided_at), "review",
                    f"{review.outcome.value.replace('_', ' ').capitalize()} by "
                    f"{review.reviewer}" + (f": {review.comment}" if review.comment else "")))
        for note in history.notes:
            events.append(_note_event(note))
        flags = sorted(self._queries.flags_of_child(child_id)
                       + self._device_flags(history.child), key=lambda f: f.sort_key)
        for flag in flags:
            events.append(ChronologyEvent(flag.since, "flag", flag.reason,
                                          red=flag.severity.value == "red"))
        events.sort(key=lambda e: (e.day, _ORDER[e.kind]))
        case = self.workspace.cases.case(child.case_id)
        content_hash = chronology_hash(((e.day, e.kind, e.text, e.red) for e in events),
                                       (i.injury for i in injuries))
        # What a decision on each kind of pattern will name: every such concern held here,
        # from the child's history folded by the same rules the flags were.
        state = fold_visits(ChildFold(), child, list(history.visits), self.today(), self._rules)
        concerns = {code: tuple(c.record_id for c in pattern_concerns(code, state, history.notes)
                                if c.record_id is not None)
                    for code in PATTERN_CODES}
        return Chronology(history.child, events, injuries, flags,
                          case.reference if case else "", content_hash, concerns)

    def record_chronology_export(self, child_id: UUID) -> None:
        self.workspace.audit.record(AuditAction.EXPORTED, "child", child_id)

    def today(self) -> date:
        return local_day(self._clock())


_ORDER = {"visit": 0, "injury": 1, "note": 2, "addendum": 3, "review": 4, "flag": 5}


def _visit_text(visit: Visit, seen: ChildObservation | None,
                on_time: Timeliness | None) -> str:
    """What the visit was for this child, by the one "last seen" rule, and whether the child
    was seen within the visiting standard (timeliness is history)."""
    if visit.visit_type is VisitType.CORE_GROUP:
        outcome = "core group meeting (not a visit to the child)"
    elif visit.outcome is VisitOutcome.NO_ACCESS:
        outcome = "no access"
    elif not counts_as_seen(visit, seen):
        outcome = "not seen"
    else:
        outcome = "seen alone" if seen and seen.seen_alone else "seen, not alone"
    text = f"Visit by {visit.worker}: {outcome}"
    if on_time is not None:
        unit = "working day" if on_time.working_days else "day"
        text += ("; within the visiting standard" if on_time.on_time else
                 f"; {counted(on_time.days_late, unit)} late "
                 f"(due {day_text(on_time.due)})")
    return text


def _note_event(note: Note) -> ChronologyEvent:
    if isinstance(note, AgencyNotification):
        said = f" ({note.reports_said})" if note.reports_said else ""
        return ChronologyEvent(note.received_on, "note",
                               f"{note.kind.label} from {note.source}{said}: {note.summary}",
                               red=note.kind.domestic_abuse or note.about_injury)
    if isinstance(note, Supervision):
        return ChronologyEvent(note.supervised_on, "note",
                               f"Supervision with {note.supervisor}"
                               + (f": {note.summary}" if note.summary else ""))
    return ChronologyEvent(local_day(note.considered_at), "note",
                           f"Concern considered by {note.considered_by}: {note.decision}")


def _injury_text(injury: InjuryObservation) -> str:
    where = " ".join(v.value.replace("_", " ") for v in (injury.side, injury.region) if v)
    what = injury.injury_type.value.replace("_", " ") if injury.injury_type else "injury"
    who = injury.explanation_given_by.value.replace("_", " ") \
        if injury.explanation_given_by else "nobody"
    return f"{what.capitalize()} {where}; explained by {who}"
