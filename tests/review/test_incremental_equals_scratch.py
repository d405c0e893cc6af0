"""Refreshing the review index page by page, writing only what changed, leaves exactly what
recomputing every child from scratch leaves: flags, dashboard rows and queue rows."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from records.flags import FlagRules, child_flags
from records.visit import FoodConcern
from storage.review_index import ReviewIndex
from storage.transactions import Connection
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import (
    WorkerDevice,
    child_changes,
    enroll_as_team_lead,
    pull,
    returned_with_question,
    sibling_families,
)
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def snapshot(conn: Connection) -> tuple[Counter[tuple[object, ...]], ...]:
    return tuple(Counter(conn.execute(sql).fetchall()) for sql in (
        "SELECT child_id, code, severity, reason, source, since, visit_ids FROM review_flags",
        "SELECT child_id, worker, plan_type, rank, since, overdue, not_seen_alone_streak,"
        " last_injury_day FROM review_children",
        "SELECT child_id, visit_id, rank, since, headline, red_count, amber_count"
        " FROM review_visit_children",
        "SELECT visit_id, decision, rank, since, headline, red_count, amber_count"
        " FROM review_visits",
        "SELECT worker, open_visits FROM review_worker_counts",
    ))


def test_page_by_page_equals_from_scratch(tmp_path: Path) -> None:
    chance = random.Random(6)
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        Workspace.over(conn, actor="northlead", clock=clock)
        enroll_as_team_lead(conn)
        index = ReviewIndex(conn, FlagRules(), clock)
        device, lead = WorkerDevice.make("north1"), WorkerDevice.make("northlead")
        families = sibling_families(6)
        position = 1
        pull(conn, child_changes(families, position))
        position += 100
        for page in range(5):
            changes = []
            for case, children in families:
                on_visit = children if chance.random() < 0.4 else children[:1]
                observations = tuple(make_observation(
                    child, seen_alone=(alone := chance.random() < 0.6),
                    reason_not_seen_alone="" if alone else "Mother present.",
                    food_concern=FoodConcern.POSSIBLE if chance.random() < 0.2
                    else FoodConcern.NONE,
                    food_concern_details="Hungry.",
                    injuries_seen=(hurt := chance.random() < 0.2),
                    injuries=(make_injury(),) if hurt else ()) for child in on_visit)
                start = NOW - timedelta(days=40 - page * 8 + chance.randint(0, 3), hours=4)
                visit = make_visit(case, on_visit, children=observations, started_at=start,
                                   ended_at=start + timedelta(hours=1))
                changes.append(device.change(visit, position))
                position += 1
            if page == 2:  # a return from another team lead's laptop, pulled like a visit
                first = changes[0]
                changes.append(returned_with_question(
                    lead, uuid.UUID(json.loads(first.record)["id"]), first.record_hash or "",
                    "Was he seen alone?", NOW - timedelta(days=1), position)[1])
                position += 1
            pull(conn, changes)
            index.refresh()
        incremental = snapshot(conn)
        every = [family_child.id for _, kids in families for family_child in kids]
        expected = Counter(
            (str(f.child_id), f.code.value, f.severity.value, f.reason, f.source,
             f.since.isoformat(), json.dumps([str(v) for v in f.visit_ids]))
            for history in index.histories(every)
            for f in child_flags(history.child, history.visits, now=NOW, rules=FlagRules()))
        assert incremental[0] == expected
        conn.execute("UPDATE review_children SET computed_on = '2000-01-01'")
        while index.refresh_stale():
            pass
        assert snapshot(conn) == incremental
        assert sum(incremental[0].values()) > 20  # flags were raised, not an empty match
        assert Counter(r[1] for r in incremental[3]) == {"awaiting": 29, "returned": 1}


def test_visits_in_any_order_fold_to_what_a_refold_from_history_gives(tmp_path: Path) -> None:
    """Visits pulled out of date order (a late-synced older visit, siblings on one visit),
    each page folded into the stored states, leave what folding every child's history again
    leaves: flags, dashboard rows, queue rows and states."""
    chance = random.Random(11)
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        Workspace.over(conn, actor="northlead", clock=clock)
        enroll_as_team_lead(conn)
        index = ReviewIndex(conn, FlagRules(), clock)
        device = WorkerDevice.make("north1")
        families = sibling_families(4)
        pull(conn, child_changes(families, 1))
        visits = []
        for case, children in families:
            for days_ago in range(5, 120, 9):
                on_visit = children if chance.random() < 0.3 else [chance.choice(children)]
                observations = tuple(make_observation(
                    child, seen=chance.random() < 0.85,
                    seen_alone=(alone := chance.random() < 0.5),
                    reason_not_seen_alone="" if alone else "Mother present.",
                    bedroom_seen=chance.random() < 0.6,
                    food_concern=FoodConcern.POSSIBLE if chance.random() < 0.2
                    else FoodConcern.NONE, food_concern_details="Hungry.",
                    injuries_seen=(hurt := chance.random() < 0.2),
                    injuries=(make_injury(),) if hurt else ()) for child in on_visit)
                start = NOW - timedelta(days=days_ago, hours=chance.randint(2, 8))
                visits.append(make_visit(case, on_visit, children=observations,
                                         started_at=start, ended_at=start + timedelta(hours=1)))
        chance.shuffle(visits)  # newest and oldest mixed in every page
        position = 100
        for page in range(0, len(visits), 11):
            pull(conn, [device.change(v, position + n) for n, v in
                        enumerate(visits[page:page + 11])])
            position += 11
            index.refresh()
        folded = snapshot(conn)
        states = dict(conn.execute("SELECT child_id, fold_json FROM review_child_folds"))
        assert len(states) == 8
        conn.execute("DELETE FROM review_child_folds")
        index.recompute([c.id for _, kids in families for c in kids])  # from the histories
        assert snapshot(conn) == folded
        assert dict(conn.execute("SELECT child_id, fold_json FROM review_child_folds")) == states
        assert sum(folded[0].values()) > 30  # flags were raised, not an empty match


def test_other_rules_refold_every_child(tmp_path: Path) -> None:
    """A state keeps flags a visit raised on its own, worked out with the rules of the day
    (policy's thresholds); under other rules the daily refresh folds each child again from
    their history rather than read a stale state."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        Workspace.over(conn, actor="northlead", clock=clock)
        enroll_as_team_lead(conn)
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        child = make_child(case)
        pull(conn, child_changes([(case, [child])], 1))
        start = NOW - timedelta(days=9, hours=5)  # submitted 9 days after: late recording
        visit = make_visit(case, [child], children=(make_observation(child),),
                           started_at=start, ended_at=start + timedelta(hours=1))
        late = WorkerDevice.make("north1").change(visit, 10).model_copy(
            update={"submitted_at": NOW})
        pull(conn, [late])
        ReviewIndex(conn, FlagRules(), clock).refresh()
        laxer = FlagRules(thresholds=FlagRules().thresholds.model_copy(
            update={"late_recording_working_days": 8}))

        def late_flags() -> list[str]:
            return [r[0] for r in conn.execute(
                "SELECT reason FROM review_flags WHERE code = 'late_recording'")]

        assert late_flags() and "(the standard is 2)" in late_flags()[0]
        conn.execute("UPDATE review_children SET computed_on = '2000-01-01'")
        ReviewIndex(conn, laxer, clock).refresh()
        assert late_flags() == []  # 6 working days late is within a standard of 8
        history = ReviewIndex(conn, laxer, clock).histories([child.id])[0]
        assert [f.code for f in child_flags(child, history.visits, now=NOW, rules=laxer)
                if f.code.value == "late_recording"] == []
