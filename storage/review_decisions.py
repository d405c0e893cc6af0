"""Review decisions: a team lead signs a visit off or returns it with a question.

A decision is a record like a visit: canonical JSON, hashed, signed with this laptop's
device key, stored and queued for central in one transaction. Central sends it on to the
visit's worker, whose laptop keeps the question on the visit until an addendum answers it.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from records.canonical import canonical_json, hash_bytes
from records.contracts import OperationKind, ReturnedQuestion
from records.corrections import ReviewDecision, ReviewOutcome
from records.flag_types import FlagCode
from records.problems import Problem
from storage.audit import AuditAction, AuditLog
from storage.device import DeviceIdentity
from storage.outbox import Outbox
from storage.refusals import SubmissionRefused
from storage.review_index import ReviewIndex
from storage.transactions import Connection, transaction


class ReviewRefused(SubmissionRefused):
    """A decision that cannot be recorded as asked; nothing was written."""

    def __init__(self, problem: Problem, user_message: str) -> None:
        super().__init__([problem])
        self.user_message = user_message


class ReviewDesk:
    """The team lead's decisions on the team's pulled visits."""

    def __init__(self, conn: Connection, device: DeviceIdentity, audit: AuditLog,
                 index: ReviewIndex, *, reviewer: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._device = device
        self._audit = audit
        self._index = index
        self._reviewer = reviewer
        self._clock = clock
        self._outbox = Outbox(conn, clock)

    def sign_off(self, visit_id: UUID, comment: str = "") -> ReviewDecision:
        return self.decide(visit_id, ReviewOutcome.SIGNED_OFF, comment)

    def return_with_question(self, visit_id: UUID, question: str) -> ReviewDecision:
        if not question.strip():
            raise ReviewRefused(
                Problem("comment", "Write the question the worker must answer."),
                "A returned visit needs a question for the worker. Nothing was sent.")
        return self.decide(visit_id, ReviewOutcome.RETURNED, question)

    def escalate(self, visit_id: UUID, escalation: str) -> ReviewDecision:
        """Decided by escalating it (domain.md, section H): what to, in the comment."""
        if not escalation.strip():
            raise ReviewRefused(
                Problem("comment", "Write what you escalated it to."),
                "An escalation needs to say what it was escalated to (a strategy discussion, "
                "a child protection enquiry, legal advice). Nothing was sent.")
        return self.decide(visit_id, ReviewOutcome.ESCALATED, escalation)

    def decide(self, visit_id: UUID, outcome: ReviewOutcome, comment: str) -> ReviewDecision:
        """Sign, store and queue the decision, and recompute the flags of the visit's children.

        Signing off a visit whose low Signs of Safety score is flagged (not escalated) needs
        a comment saying why it is not escalated: the sign-off settles that flag, so the
        choice not to act on a high risk is made, and written, on purpose (domain.md, "Low
        risk score no action")."""
        with transaction(self._conn):
            row = self._conn.execute(
                "SELECT record_hash FROM review_visits WHERE visit_id = ?", (str(visit_id),)
            ).fetchone()
            if row is None:
                raise ReviewRefused(Problem("visit", "This visit is not on this laptop."),
                                    "That visit is not on this laptop, so no decision was "
                                    "recorded. Sync, then try again.")
            if outcome is ReviewOutcome.SIGNED_OFF and not comment.strip():
                low_score = self._low_score_flag(visit_id)
                if low_score is not None:
                    raise ReviewRefused(
                        Problem("comment", "Write why the score is not escalated."),
                        f"{low_score} To sign the visit off, write in the comment why it is "
                        "not escalated; or press Escalate. Nothing was sent.")
            decision = ReviewDecision(
                id=uuid.uuid4(), visit_id=visit_id, visit_hash=row[0],
                reviewer=self._reviewer, decided_at=self._clock().astimezone(UTC),
                outcome=outcome, comment=comment.strip(),
            )
            frozen = canonical_json(decision)
            record_hash = hash_bytes(frozen)
            signature = self._device.sign(frozen)
            self._conn.execute(
                "INSERT INTO review_decisions (id, visit_id, canonical_json, record_hash,"
                " signature, signed_by_device, decided_at, stored_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (str(decision.id), str(visit_id), frozen.decode(), record_hash, signature,
                 str(self._device.device_id), decision.decided_at.isoformat(),
                 self._clock().astimezone(UTC).isoformat()),
            )
            self._outbox.enqueue(OperationKind.DECIDE_REVIEW, decision.id, {
                "kind": "review", "record": frozen.decode(), "record_hash": record_hash,
                "signature": base64.b64encode(signature).decode(),
                "device_id": str(self._device.device_id),
            })
            self._audit.record(AuditAction.REVIEW_DECIDED, "visit", visit_id)
            self._index.recompute(self._index.children_of_visit(visit_id))
        return decision


    def _low_score_flag(self, visit_id: UUID) -> str | None:
        """The reason of the visit's low Signs of Safety score flag, if it has one now."""
        found = self._conn.execute(
            "SELECT reason FROM review_flags WHERE code = ? AND EXISTS"
            " (SELECT 1 FROM json_each(review_flags.visit_ids) WHERE value = ?) LIMIT 1",
            (FlagCode.LOW_RISK_SCORE.value, str(visit_id))).fetchone()
        return None if found is None else str(found[0])


def _latest_per_visit(rows: list[tuple[str, str | None]]
                      ) -> dict[UUID, tuple[ReviewDecision, str | None]]:
    """Each visit's latest return or sign-off, with the visit's children as stored. An
    escalation does not answer or withdraw a question the worker was asked: a visit
    returned, then escalated, still waits for the worker's addendum."""
    latest: dict[UUID, tuple[ReviewDecision, str | None]] = {}
    for record, children in rows:
        review = ReviewDecision.model_validate_json(record)
        if review.outcome is ReviewOutcome.ESCALATED:
            continue
        held = latest.get(review.visit_id)
        if held is None or held[0].decided_at < review.decided_at:
            latest[review.visit_id] = (review, children)
    return latest


def open_questions(conn: Connection, *, visit_id: UUID | None = None) -> list[ReturnedQuestion]:
    """Returned visits on this laptop whose latest decision no addendum here has answered.

    Only the worker's own visits: a team lead's laptop also pulls the team's visits and the
    returns made on them (its own included), which are questions for their workers, not for
    the team lead. A visit pulled for review is left out unless this laptop submitted it.
    """
    rows = conn.execute(
        "SELECT r.record_json,"
        " (SELECT group_concat(child_id) FROM visit_children"
        "  WHERE visit_id = json_extract(r.record_json, '$.visit_id'))"
        " FROM received_records AS r WHERE r.kind = 'review'"
        " AND (?1 IS NULL OR json_extract(r.record_json, '$.visit_id') = ?1)"
        " AND (NOT EXISTS (SELECT 1 FROM received_records AS pulled WHERE pulled.kind = 'visit'"
        "                  AND pulled.id = json_extract(r.record_json, '$.visit_id'))"
        "      OR EXISTS (SELECT 1 FROM visits AS mine"
        "                 WHERE mine.id = json_extract(r.record_json, '$.visit_id')))",
        (str(visit_id) if visit_id else None,),
    ).fetchall()
    latest = _latest_per_visit(rows)
    answered = {r[0] for r in conn.execute(
        "SELECT json_extract(canonical_json, '$.answers_review_id') FROM addenda"
        " WHERE json_extract(canonical_json, '$.answers_review_id') IS NOT NULL")}
    found = [
        ReturnedQuestion(review.id, review.visit_id, review.comment, review.reviewer,
                         review.decided_at,
                         tuple(UUID(c) for c in children.split(",")) if children else ())
        for review, children in latest.values()
        if review.outcome is ReviewOutcome.RETURNED and str(review.id) not in answered
    ]
    return sorted(found, key=lambda q: q.returned_at)


def escalations(conn: Connection, visit_id: UUID) -> list[ReviewDecision]:
    """The team lead's escalations of this visit that reached this laptop, oldest first: the
    worker reads on their visit that it was escalated, by whom and to what."""
    rows = conn.execute(
        "SELECT record_json FROM received_records WHERE kind = 'review'"
        " AND json_extract(record_json, '$.visit_id') = ?"
        " AND json_extract(record_json, '$.outcome') = ?",
        (str(visit_id), ReviewOutcome.ESCALATED.value)).fetchall()
    found = [ReviewDecision.model_validate_json(record) for (record,) in rows]
    return sorted(found, key=lambda r: r.decided_at)
