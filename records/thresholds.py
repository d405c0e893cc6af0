"""The thresholds at which a child's record raises a team-lead alert; councils set them.

Every number `records.flags` compares against lives here, once, with where it comes from.
The defaults follow the team-lead alerts in the Homevisit domain reference; visiting
intervals themselves are `records.schedule.VisitStandards`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FlagThresholds(BaseModel):
    """When a flag is raised and when it turns red. Part of IT policy (`flag_thresholds`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    overdue_amber_percent: int = Field(
        default=80, ge=1, le=100,
        description="Amber once this share of the visiting interval has passed "
        "(Care Planning Regs 2010 reg 28; Liverpool CSC procedures).",
    )
    not_seen_red_days: int = Field(
        default=28, ge=1, le=365,
        description="A child not seen by their social worker for longer than this is red "
        "(Southwark: monitoring visits, 4 weeks).",
    )
    not_seen_red_streak: int = Field(
        default=2, ge=1, le=10,
        description="Visits running at which the child was not seen before the flag is red.",
    )
    not_seen_alone_window_days: int = Field(
        default=90, ge=1, le=730,
        description="Visits that did not see the child alone, `not_seen_alone_red_streak` or "
        "more (at least 2) within this many days of each other, stay red after a visit that "
        "sees the child alone, until a team lead records that the pattern was considered "
        "(Daniel Pelka review: never spoken to alone).",
    )
    not_seen_alone_red_streak: int = Field(
        default=2, ge=1, le=10,
        description="Visits running without seeing the child alone before the flag is red, "
        "on every plan (Southwark; Bolton CP procedures; the Daniel Pelka review).",
    )
    bedroom_not_seen_streak: int = Field(
        default=2, ge=1, le=10,
        description="Visits running without seeing where the child sleeps; red on a child "
        "protection plan (Southwark; Central Bedfordshire: at least alternate visits).",
    )
    voice_missing_red_streak: int = Field(
        default=2, ge=1, le=10,
        description="Visits running with none of the child's own words before the flag is "
        "red (Daniel Pelka review: his voice was not heard).",
    )
    pre_verbal_under_months: int = Field(
        default=36, ge=1, le=120,
        description="Under this age a child observed as not yet talking (\"Observed "
        "(pre-verbal)\") has no own-words flag; from it, or with no date of birth, the words "
        "are still looked for (Daniel Pelka review: his voice was not heard).",
    )
    non_mobile_check_months: int = Field(
        default=24, ge=1, le=60,
        description="Under this age, an injury with mobility not recorded counts as an "
        "injury to a non-mobile child (NICE CG89; Barnsley non-mobile bruising protocol).",
    )
    repeat_injury_count: int = Field(
        default=2, ge=2, le=10,
        description="Injuries (seen at visits, or reported by another agency) within the "
        "window of each other that make a repeat-injury flag, red until a team lead records "
        "that it was considered.",
    )
    repeat_injury_window_days: int = Field(
        default=90, ge=1, le=730,
        description="How close together, in days, injuries must be to make a pattern (not "
        "counted back from today: a pattern stays until it is considered).",
    )
    neglect_gcp2_grade: int = Field(
        default=4, ge=1, le=5,
        description="A Graded Care Profile 2 grade at or above this is red (Thurrock LSCP).",
    )
    low_risk_score: int = Field(
        default=3, ge=0, le=10,
        description="A Signs of Safety score at or below this, not escalated, is red "
        "(Daniel Pelka review: high risk shown and not acted on).",
    )
    late_recording_working_days: int = Field(
        default=2, ge=1, le=20,
        description="A visit submitted more than this many working days after it took place "
        "is late (Liverpool CSC recording timescales).",
    )
    critical_recording_hours: int = Field(
        default=24, ge=1, le=240,
        description="A visit that raises a red flag is late, and red, when submitted more "
        "than this many hours after it ended (Liverpool CSC: 24 hours when critical).",
    )
    sign_off_working_days: int = Field(
        default=5, ge=1, le=30,
        description="A submitted visit waiting longer than this for a team lead's decision.",
    )
    repeat_concern_count: int = Field(
        default=2, ge=2, le=10,
        description="Food or weight concerns (at visits, or reported by another agency) within "
        "the window of each other that make a repeated-concern flag, red until a team lead "
        "records that it was considered (Daniel Pelka review: his hunger was not joined up).",
    )
    repeat_concern_window_days: int = Field(
        default=90, ge=1, le=730,
        description="How close together, in days, food or weight concerns must be to make a "
        "pattern (not counted back from today: it stays until it is considered).",
    )
    not_seen_any_agency_days: int = Field(
        default=42, ge=1, le=365,
        description="A child seen by nobody (social worker or any agency that told us) for "
        "longer than this is red (Southwark: 6 weeks).",
    )
    supervision_months_child_protection: int = Field(
        default=1, ge=1, le=12,
        description="A child protection case not supervised for longer than this (Bolton).",
    )
    supervision_months_other: int = Field(
        default=2, ge=1, le=12,
        description="Any other case not supervised for longer than this (Liverpool).",
    )
    caseload_children_per_worker: int = Field(
        default=20, ge=1, le=200,
        description="Children allocated to one worker above which the dashboard shows "
        "caseload pressure (Ofsted 2014: caseloads too high).",
    )
    def over_caseload(self, children: int) -> bool:
        """Caseload pressure: more children allocated to one worker than the standard. The
        one test the team lead's dashboard and the managers' team and worker pages use."""
        return children > self.caseload_children_per_worker

    device_unsynced_hours: int = Field(
        default=24, ge=1, le=720,
        description="A worker's laptop not heard from by central for longer than this.",
    )
