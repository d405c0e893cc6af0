"""Records written after a visit is submitted: corrections and team-lead decisions.

A submitted visit is never edited. A correction is an addendum chained by hash to the
record before it; a team lead's sign-off or return is a record of its own.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from records.types import RECORD_CONFIG, LongText, ShortText, UtcDateTime

Sha256Hex = str


class Addendum(BaseModel):
    """A dated, reasoned addition to a submitted visit; the original stays as it was."""

    model_config = RECORD_CONFIG

    id: UUID
    visit_id: UUID
    previous_hash: Sha256Hex = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="Hash of the visit, or of the addendum before this one.",
    )
    reason: LongText = ""
    text: LongText = ""
    author: ShortText = ""
    written_at: UtcDateTime
    answers_review_id: UUID | None = Field(
        default=None, description="The returned review this addendum answers, if any."
    )


class ReviewOutcome(StrEnum):
    SIGNED_OFF = "signed_off"
    RETURNED = "returned"
    ESCALATED = "escalated"


class ReviewDecision(BaseModel):
    """A team lead's decision on a submitted visit: manager oversight (domain.md section H)."""

    model_config = RECORD_CONFIG

    id: UUID
    visit_id: UUID
    visit_hash: Sha256Hex = Field(pattern=r"^[0-9a-f]{64}$")
    reviewer: ShortText = ""
    decided_at: UtcDateTime
    outcome: ReviewOutcome
    comment: LongText = ""
    escalated_to: ShortText = ""
