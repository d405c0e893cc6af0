"""What `homevisit sync` says about review after a pull: the queue, or the questions waiting."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from desktop_app.policy import Policy
from records.flags import FlagRules
from records.schedule import WorkingCalendar
from records.wording import counted
from storage.review_decisions import open_questions
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from storage.transactions import Connection
from sync.protocol import Role

if TYPE_CHECKING:  # the engine brings httpx: not for a command that only reads the vault
    from sync.engine import SyncEngine, SyncReport

log = logging.getLogger("homevisit.sync")


def rules_of(policy: Policy, calendar: WorkingCalendar | None = None) -> FlagRules:
    return FlagRules(policy.visit_standards, policy.flag_thresholds,
                     calendar or WorkingCalendar())


def index_after_pull(conn: Connection, policy: Policy) -> None:
    """Index what a pull brought: the flags of just those children. On a team lead's laptop
    the team's visits; on a worker's, the visits others made about their children, which the
    caseload's "last seen" and the flags before submitting read (`Services._history`)."""
    ReviewIndex(conn, rules_of(policy)).refresh(daily=False)


def waiting_to_be_indexed(conn: Connection) -> bool:
    """Whether a pulled record waits for `index_after_pull` (one stopped part-way, say)."""
    return ReviewIndex(conn, FlagRules()).pending_count() > 0


def run_and_index(engine: SyncEngine, conn: Connection, policy: Policy) -> SyncReport:
    """One sync run, then the pulled records indexed and their children's flags recomputed,
    before anyone hears of the pull, so the review screen and the caseload only read. Also
    what an earlier run pulled and could not index (a worker has no review screen to do it).
    Used by the window's sync thread and by `homevisit sync` run until stopped."""
    report = engine.run_once()
    if report.pulled or waiting_to_be_indexed(conn):
        try:
            index_after_pull(conn, policy)
        except Exception as error:  # sync succeeded; the next run (or review screen) retries
            log.warning("review index not brought up to date after a pull (%s); the next "
                        "sync tries again", type(error).__name__)
    return report


def after_pull(conn: Connection, policy: Policy, role: Role) -> list[str]:
    """Bring the review index up to date and say what waits for this user."""
    if role is not Role.TEAM_LEAD:
        index_after_pull(conn, policy)
    else:
        ReviewIndex(conn, rules_of(policy)).refresh()
        queries = ReviewQueries(conn)
        return [f"Review queue: {_visits(queries.queue_count())} to review, "
                f"{queries.red_count()} with red flags."]
    questions = open_questions(conn)
    if not questions:
        return []
    if len(questions) == 1:
        return ["Your team lead returned 1 visit with a question; answer it with an addendum "
                "on the visit."]
    return [f"Your team lead returned {len(questions)} visits with a question; answer each "
            "with an addendum on the visit."]


def _visits(count: int) -> str:
    return counted(count, "visit")
