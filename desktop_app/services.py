"""The screens' operations (`ui.services.VisitServices`) over one open session.

Every method runs on the vault lane, one at a time, on the session's connection.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from desktop_app import recovery_slot
from desktop_app.cli.review import rules_of
from desktop_app.policy import Policy
from desktop_app.pulled_visits import NOT_ON_THIS_LAPTOP, open_pulled_visit
from desktop_app.session import Session
from records.case import Case, Child
from records.case_notes import AgencyNotification, ConcernConsidered, Note
from records.contracts import (
    CaseloadRow,
    Enrollment,
    ReturnedQuestion,
    StoredAddendum,
    StoredNote,
    StoredVisit,
    VisitStatus,
)
from records.flag_fold import seen_before
from records.flags import Flag, FlagRules, VisitOnRecord, child_flags, flags_left_by
from records.schedule import WorkingCalendar
from records.visit import ChildObservation, InjuryObservation, Visit
from storage.addendum_drafts import addendum_draft, discard_addendum_draft, save_addendum_draft
from storage.audit import AuditAction, AuditEntry
from storage.case_notes import notes_by_child
from storage.caseload import Caseload
from storage.outbox import OperationStatus
from storage.refusals import VisitNotFound
from storage.removals import on_a_workers_laptop
from storage.review_decisions import escalations, open_questions
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from storage.sightings import kept_sighting
from sync.ledger import SyncLedger
from sync.protocol import Role
from ui.services import (
    YOU_ELSEWHERE,
    Connected,
    InterruptedDraft,
    OpenedVisit,
    RecoveryChange,
    SyncState,
    VisitListing,
)

if TYPE_CHECKING:
    from desktop_app.review_services import VaultReviewServices

EARLIER_VISITS_ON_BODY_MAP = 20
VISITS_FOR_FLAGS = 200
_EARLIEST = datetime.min.replace(tzinfo=UTC)
SESSION_STARTS = {AuditAction.UNLOCKED, AuditAction.VAULT_CREATED, AuditAction.RECOVERED}


class VaultServices:
    """What the window may do with the vault, and nothing else."""

    def __init__(self, session: Session, policy: Policy,
                 calendar: WorkingCalendar | None = None, *,
                 managed: frozenset[str] = frozenset()) -> None:
        self.session = session
        self.policy = policy
        self.managed = managed  # the keys IT's policy sets (EffectivePolicy.locked)
        self.calendar = calendar or WorkingCalendar()
        self.workspace = session.workspace
        self.vault = session.vault  # for the sync thread's own connection (desktop_app only)
        self._caseload = Caseload(session.vault.connection, policy.visit_standards,
                                  self.calendar)

    def caseload(self) -> list[CaseloadRow]:
        """Rebuilt from what changed since the last call; unchanged rows are the same objects."""
        return self._caseload.rows()

    def household_of(self, child_id: UUID) -> tuple[Case, list[Child]]:
        cases = self.workspace.cases
        child = cases.child(child_id)
        case = cases.case(child.case_id) if child else None
        if child is None or case is None:
            raise VisitNotFound()
        return case, cases.children(case.id, on_caseload_only=True)

    def start_visit(self, case_id: UUID, child_ids: list[UUID]) -> OpenedVisit:
        """A new draft for some of a household's children, saved at once so it survives."""
        cases = self.workspace.cases
        case = cases.case(case_id)
        if case is None:
            raise VisitNotFound()
        chosen = [c for c in cases.children(case_id, on_caseload_only=True)
                  if c.id in set(child_ids)]
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        visit = Visit(
            id=uuid.uuid4(), case_id=case_id, worker=self._last_worker(),
            started_at=now, location=case.address,
            children=tuple(ChildObservation(child_id=c.id, plan_type=c.plan_type)
                           for c in chosen),
        )
        self.workspace.visits.save_draft(visit)
        return OpenedVisit(visit, case, chosen, False, self._earlier_injuries(chosen, visit.id),
                           notifications=self._notifications(visit, chosen))

    def open_visit(self, visit_id: UUID) -> OpenedVisit:
        """A visit made on this laptop, or else one pulled from central that another worker
        made about a child now allocated here (read-only: `OpenedVisit.recorded_by`)."""
        try:
            stored = self.workspace.visits.open_for_viewing(visit_id)
        except VisitNotFound:
            return self._open_pulled(visit_id)
        visit = stored.visit
        cases = self.workspace.cases
        case = cases.case(visit.case_id)
        if case is None:
            raise VisitNotFound()
        children = [c for o in visit.children if (c := cases.child(o.child_id)) is not None]
        submitted = stored.status is VisitStatus.SUBMITTED
        asked = open_questions(self.session.vault.connection, visit_id=visit_id)
        return OpenedVisit(
            visit, case, children, submitted, self._earlier_injuries(children, visit_id),
            self.workspace.visits.addenda(visit_id) if submitted else [],
            stored.submitted_at, stored.record_hash, asked[0] if asked else None,
            self._notifications(visit, children),
            addendum_draft(self.session.vault.connection, visit_id) if submitted else None,
            escalations(self.session.vault.connection, visit_id) if submitted else [],
        )

    def save_draft(self, visit: Visit) -> datetime:
        self.workspace.visits.save_draft(visit)
        return datetime.now(UTC)

    def discard_draft(self, visit_id: UUID) -> None:
        self.workspace.visits.discard_draft(visit_id)

    def submit(self, visit: Visit) -> StoredVisit:
        return self.workspace.visits.submit(visit)

    def _open_pulled(self, visit_id: UUID) -> OpenedVisit:
        conn = self.session.vault.connection
        index = ReviewIndex(conn, rules_of(self.policy, self.calendar))
        if not index.children_of_visit(visit_id):
            raise VisitNotFound()  # gone (purged, discarded) since it was listed
        opened = open_pulled_visit(index, ReviewQueries(conn), self.workspace.cases,
                                   self.workspace.audit, visit_id)
        return replace(opened, earlier_injuries=self._earlier_injuries(opened.children, visit_id),
                       recorded_by=self._recorded_by([opened.visit])[visit_id])

    def next_visit_due(self, visit: Visit) -> date | None:
        return self.workspace.visits.next_visit_due(visit)

    def flags_if_submitted(self, visit: Visit) -> list[Flag]:
        """The team-lead flags this visit would leave, each child's history plus this visit."""
        children = {c.id: c for c in self.workspace.cases.children(visit.case_id)}
        rules = rules_of(self.policy, self.calendar)
        now = datetime.now(UTC)
        notes = notes_by_child(self.session.vault.connection,
                               [o.child_id for o in visit.children])
        found: list[Flag] = []
        for observation in visit.children:
            child = children.get(observation.child_id)
            if child is None:
                continue
            history = self._history(child, VISITS_FOR_FLAGS, rules)
            if all(r.visit.id != visit.id for r in history):  # a draft, or not yet read
                history.append(VisitOnRecord(visit, now))
            # When the child was last seen at a visit the purge took (storage.sightings).
            kept = seen_before(child, kept_sighting(self.session.vault.connection, child.id))
            found += flags_left_by(visit.id, child_flags(child, history, now=now, rules=rules,
                                                         notes=notes.get(child.id, ()),
                                                         start=kept))
        return found

    def _history(self, child: Child, latest: int,
                 rules: FlagRules | None = None) -> list[VisitOnRecord]:
        """The child's submitted visits as this laptop holds them: the `latest` made here,
        with their addenda, and every one pulled from central that was not (a team's, on a
        team lead's laptop; on a worker's, those others made about a child allocated to
        them, before and since). A child who moved to this worker keeps their last sighting,
        injuries and patterns."""
        visits = self.workspace.visits
        history: list[VisitOnRecord] = []
        for summary in visits.summaries(status=VisitStatus.SUBMITTED, child_id=child.id,
                                        limit=latest):
            stored = visits.get(summary.id)
            if stored is not None and stored.submitted_at is not None:
                addenda = tuple(a.addendum for a in visits.addenda(summary.id))
                history.append(VisitOnRecord(stored.visit, stored.submitted_at, addenda))
        held = {r.visit.id for r in history}
        return history + [r for r in self._pulled(child, rules) if r.visit.id not in held]

    def _pulled(self, child: Child, rules: FlagRules | None = None,
                ) -> tuple[VisitOnRecord, ...]:
        """The child's visits pulled from central, with their addenda (the review index)."""
        found = ReviewIndex(self.session.vault.connection,
                            rules or rules_of(self.policy, self.calendar)).history(child.id)
        return found.visits if found else ()

    def record_note(self, note: Note) -> StoredNote:
        """Sign and store a note between visits (queued for central); on a team lead's laptop
        its children's flags are recomputed at once, as a review decision's are."""
        if isinstance(note, ConcernConsidered):
            if not note.considered_by.strip():
                note = note.model_copy(update={"considered_by": self._who_records()})
        elif not note.entered_by.strip():
            note = note.model_copy(update={"entered_by": self._who_records()})
        stored = self.workspace.notes.record(note)
        enrollment = SyncLedger(self.session.vault.connection).enrollment()
        if enrollment is not None and enrollment.role is Role.TEAM_LEAD:
            ReviewIndex(self.session.vault.connection,
                        rules_of(self.policy, self.calendar)).recompute(note.child_ids)
        return stored

    def notes_for_child(self, child_id: UUID) -> list[StoredNote]:
        """Every note about the child, made on this laptop or pulled, oldest first."""
        return self.workspace.notes.notes_for_child(child_id)

    def add_addendum(self, visit_id: UUID, reason: str, text: str, *,
                     answers_review_id: UUID | None = None) -> list[StoredAddendum]:
        stored = self.workspace.visits.get(visit_id)
        author = stored.visit.worker if stored else ""
        self.workspace.visits.add_addendum(visit_id, reason=reason, text=text, author=author,
                                           answers_review_id=answers_review_id)
        discard_addendum_draft(self.session.vault.connection, visit_id)
        return self.workspace.visits.addenda(visit_id)

    def save_addendum_draft(self, visit_id: UUID, reason: str, text: str) -> None:
        save_addendum_draft(self.session.vault.connection, visit_id, reason, text)

    def discard_addendum_draft(self, visit_id: UUID) -> None:
        discard_addendum_draft(self.session.vault.connection, visit_id)

    def enrollment(self) -> Enrollment | None:
        """Central's address and this laptop's role there; None before enrollment."""
        found = SyncLedger(self.session.vault.connection).enrollment()
        if found is None:
            return None
        return Enrollment(found.server_url, found.role is Role.TEAM_LEAD)

    def review_services(self) -> VaultReviewServices:
        """The team lead's operations over this same session (made on the lane)."""
        from desktop_app.review_services import VaultReviewServices

        return VaultReviewServices(self.session, self.policy, self.calendar)

    def open_questions(self) -> list[ReturnedQuestion]:
        """The team lead's questions on this worker's visits that no addendum has answered."""
        return open_questions(self.session.vault.connection)

    def pull_position(self) -> int | None:
        """Central's cursor after the last pull (by any process); None before enrollment."""
        enrollment = SyncLedger(self.session.vault.connection).enrollment()
        return enrollment.pull_cursor if enrollment else None

    def sync_state(self) -> SyncState | None:
        """What has and has not reached central; None when this vault is not enrolled."""
        enrollment = SyncLedger(self.session.vault.connection).enrollment()
        if enrollment is None:
            return None
        outbox = self.workspace.outbox
        counts = outbox.counts()
        return SyncState(
            unsent=counts[OperationStatus.WAITING] + counts[OperationStatus.SENT],
            quarantined=counts[OperationStatus.QUARANTINED],
            oldest_unsent_at=outbox.oldest_unsent(),
            last_synced_at=enrollment.last_synced_at,
            revoked=enrollment.revoked_at is not None,
        )

    def resend_refused(self) -> int:
        """Queue every record central refused to be sent again (what `homevisit sync
        --retry-refused` does); how many were queued."""
        return self.workspace.outbox.requeue_refused()

    def recovery_key_change(self) -> RecoveryChange | None:
        """Whether IT's policy (never the worker's settings) names a recovery key this
        vault's slot is not wrapped to."""
        return recovery_slot.change_wanted(self.session, self.policy,
                                           managed=self._recovery_key_managed)

    def add_recovery_key(self) -> None:
        """Wrap the vault to the policy's recovery key (as `homevisit vault add-recovery-key`)."""
        if not self._recovery_key_managed:
            raise ValueError("IT's policy does not set the recovery key")
        recovery_slot.wrap_to_policy_key(self.session, self.policy)

    @property
    def _recovery_key_managed(self) -> bool:
        return "recovery_public_key" in self.managed

    def add_photo(self, content: bytes, visit_id: UUID) -> UUID:
        return self.workspace.attachments.add(content, visit_id=visit_id).id

    def photo(self, photo_id: UUID) -> bytes | None:
        return self.workspace.attachments.content(photo_id)

    def record_pdf_export(self, visit_id: UUID) -> None:
        self.workspace.audit.record(AuditAction.EXPORTED, "visit", visit_id)

    # complexity: a comprehension with one field per caseload column
    def visits(self, *, drafts: bool, child_id: UUID | None = None) -> list[VisitListing]:
        status = VisitStatus.DRAFT if drafts else VisitStatus.SUBMITTED
        cases = self.workspace.cases
        references = {c.id: c.reference for c in cases.cases()}
        names = {c.id: c.given_name for c in cases.children()}
        returned = set() if drafts else {
            q.visit_id for q in open_questions(self.session.vault.connection)}
        summaries = self.workspace.visits.summaries(status=status, child_id=child_id, limit=200)
        sync = {} if drafts else self.workspace.outbox.submission_status(
            [s.id for s in summaries])
        listed = [
            VisitListing(s.id, references.get(s.case_id, ""), s.started_at, s.updated_at,
                         not drafts, ", ".join(names.get(c, "?") for c in s.child_ids),
                         s.id in returned,
                         sync[s.id][0].value if s.id in sync else None,
                         sync[s.id][1] if s.id in sync else None)
            for s in summaries
        ]
        child = self.workspace.cases.child(child_id) if child_id is not None else None
        if drafts or child is None or not on_a_workers_laptop(self.session.vault.connection):
            return listed  # a team lead reads the team's visits on the review screen
        # On a worker's laptop a child's list also holds the visits others made about them,
        # pulled from central (one that is also this laptop's own is listed as its own).
        pulled = list(self._pulled(child))
        own = self.workspace.visits.held(r.visit.id for r in pulled)
        pulled = [r for r in pulled if r.visit.id not in own]
        by = self._recorded_by([r.visit for r in pulled])
        listed += [
            VisitListing(r.visit.id, references.get(r.visit.case_id, NOT_ON_THIS_LAPTOP),
                         r.visit.started_at, r.recorded_at, True,
                         ", ".join(names.get(o.child_id, "?") for o in r.visit.children),
                         recorded_by=by[r.visit.id])
            for r in pulled]
        return sorted(listed, key=lambda v: v.started_at or v.updated_at, reverse=True)

    def _recorded_by(self, visits: list[Visit]) -> dict[UUID, str]:
        """Who recorded each of these pulled visits, as their list and their editor say: the
        name on the visit, or "you, on another laptop" for one this worker made elsewhere
        (sent back with a child allocated to them again, or to a new laptop)."""
        conn = self.session.vault.connection
        enrollment = SyncLedger(conn).enrollment()
        me = enrollment.username if enrollment is not None else None
        senders = ReviewQueries(conn).senders([v.id for v in visits])
        return {v.id: YOU_ELSEWHERE if senders.get(v.id) == me
                else v.worker or "another worker" for v in visits}

    def interrupted_draft(self) -> InterruptedDraft | None:
        """The draft being written when the last session ended without a lock (a crash)."""
        started = _previous_session_start(self.workspace.audit.entries(limit=5000))
        if started is None:
            return None
        drafts = self.workspace.visits.summaries(status=VisitStatus.DRAFT, limit=1000)
        recent = [d for d in drafts if d.updated_at >= started]
        if not recent:
            return None
        latest = max(recent, key=lambda d: d.updated_at)
        stored = self.workspace.visits.get(latest.id)
        began = (stored.visit.started_at if stored and stored.visit.started_at
                 else stored.created_at if stored else latest.updated_at)
        return InterruptedDraft(latest.id, began)

    def enroll(self, server_url: str, code: str, *, managed: bool) -> Connected:
        from desktop_app.enrollment import enroll_open_vault  # the HTTP client: when used

        return enroll_open_vault(self.session, self.policy, server_url, code, managed)

    def lock(self) -> None:
        """Record the lock, then close the vault and drop its key."""
        try:
            self.workspace.audit.record(AuditAction.LOCKED)
        finally:
            self.session.close()

    def signed_in_name(self) -> str:
        return self._who_records()

    # --- internals ---------------------------------------------------------------------

    def _who_records(self) -> str:
        """The name a note is entered under: the enrolled person's, else the last visit's."""
        enrollment = SyncLedger(self.session.vault.connection).enrollment()
        return enrollment.display_name if enrollment else self._last_worker()

    def _last_worker(self) -> str:
        visits = self.workspace.visits
        for summary in visits.summaries(status=VisitStatus.SUBMITTED, limit=1):
            stored = visits.get(summary.id)
            if stored is not None:
                return stored.visit.worker
        return ""

    def _notifications(self, visit: Visit, children: list[Child]
                       ) -> dict[UUID, list[AgencyNotification]]:
        """Each child's agency notifications not followed up at another visit, and those this
        visit followed up, oldest first."""
        found: dict[UUID, list[AgencyNotification]] = {}
        for child in children:
            done = self.workspace.visits.notifications_followed_up(child.id, besides=visit.id)
            here = visit.observation_for(child.id)
            ticked = set(here.notifications_followed_up) if here else set()
            found[child.id] = [
                stored.note for stored in self.workspace.notes.notes_for_child(child.id)
                if isinstance(stored.note, AgencyNotification)
                and (stored.note.id not in done or stored.note.id in ticked)]
        return found

    def _earlier_injuries(self, children: list[Child],
                          this_visit: UUID) -> dict[UUID, list[InjuryObservation]]:
        """Each child's injuries at their latest visits before this one, made here or
        pulled (`_history`), most recent visit first."""
        found: dict[UUID, list[InjuryObservation]] = {}
        for child in children:
            history = sorted((r.visit for r in self._history(child, EARLIER_VISITS_ON_BODY_MAP)
                              if r.visit.id != this_visit),
                             key=lambda v: (v.started_at or _EARLIEST, str(v.id)),
                             reverse=True)
            injuries: list[InjuryObservation] = []
            for earlier in history[:EARLIER_VISITS_ON_BODY_MAP]:
                observation = earlier.observation_for(child.id)
                injuries += observation.injuries if observation else ()
            found[child.id] = injuries
        return found


def _previous_session_start(newest_first: list[AuditEntry]) -> datetime | None:
    """When the session before this one began, if it ended without being locked."""
    if not newest_first or newest_first[0].action is not AuditAction.UNLOCKED:
        return None
    earlier = [e for e in newest_first[1:] if e.action is not AuditAction.UNLOCK_FAILED]
    if not earlier or earlier[0].action is AuditAction.LOCKED:
        return None
    for entry in earlier:
        if entry.action in SESSION_STARTS:
            return entry.at if entry.action is AuditAction.UNLOCKED else None
    return None
