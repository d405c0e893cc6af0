"""A push says when the worker's laptop submitted each visit and addendum; central keeps the
claim beside the record, clamped to what it can believe, and sends it back to a pull that
asks for `times`. Rows stored before central kept it still pull (with no claim)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from central.db.migrate import downgrade, upgrade
from central.services.flags import CLOCK_TOLERANCE
from records.canonical import canonical_json, hash_bytes
from records.corrections import Addendum
from tests.central.harness import Central, Laptop
from tests.central.test_pull_times import pull_with_times
from tests.factories import VISIT_START, make_visit

VISIT_END = VISIT_START.replace(hour=15, minute=40)


def claiming(op: dict[str, Any], submitted_at: datetime) -> dict[str, Any]:
    return {**op, "submitted_at": submitted_at.isoformat()}


def pulled(lead: Laptop) -> dict[str, dict[str, Any]]:
    return {json_id(c): c for c in pull_with_times(lead)["changes"]
            if c["kind"] in ("visit", "addendum")}


def json_id(change: dict[str, Any]) -> str:
    return str(uuid.UUID(change["record"].split('"id":"')[1][:36]))


def when(change: dict[str, Any]) -> datetime | None:
    value = change["submitted_at"]
    return datetime.fromisoformat(value) if value else None


def test_a_claim_between_the_visit_and_its_receipt_is_kept_whatever_the_delay(
    central: Central,
) -> None:
    world = central.world()
    worker, lead = central.enroll("north1"), central.enroll("northlead")
    on_time = make_visit(world.cases["N1"], [world.children["N1"]])
    central.clock.now = VISIT_END + timedelta(days=7)  # synced a week later
    submitted = VISIT_END + timedelta(hours=1)
    (result,) = worker.push_ok(claiming(worker.op(on_time), submitted))
    assert result["result"] == "accepted" and "submitted_at_clamped" not in result["flags"]
    change = pulled(lead)[str(on_time.id)]
    assert when(change) == submitted
    assert datetime.fromisoformat(change["received_at"]) == central.clock()
    assert "submitted_at_clamped" not in change["flags"]


def test_a_claim_central_cannot_believe_is_replaced_by_its_receipt_time_and_flagged(
    central: Central,
) -> None:
    """One batch: a claim from the future, one from before the visit began, one a little
    fast (within the tolerance: held at the receipt, not flagged), and one with no claim
    (a laptop older than the field). On PostgreSQL the batch is one INSERT reading JSON
    rows, with NULLs and times in the same column."""
    world = central.world()
    worker, lead = central.enroll("north1"), central.enroll("northlead")
    central.clock.now = VISIT_END + timedelta(days=1)
    now = central.clock()
    future, early, fast, silent = (make_visit(world.cases["N1"], [world.children["N1"]])
                                   for _ in range(4))
    results = worker.push_ok(
        claiming(worker.op(future), now + timedelta(days=2)),
        claiming(worker.op(early), VISIT_START - timedelta(hours=1)),
        claiming(worker.op(fast), now + CLOCK_TOLERANCE / 2),
        worker.op(silent),
    )
    assert [r["result"] for r in results] == ["accepted"] * 4
    assert ["submitted_at_clamped" in r["flags"] for r in results] == [True, True, False, False]
    changes = pulled(lead)
    assert when(changes[str(future.id)]) == now
    assert "submitted_at_clamped" in changes[str(future.id)]["flags"]
    assert when(changes[str(early.id)]) == now
    assert when(changes[str(fast.id)]) == now
    assert when(changes[str(silent.id)]) is None
    assert datetime.fromisoformat(changes[str(silent.id)]["received_at"]) == now


def test_an_addendum_carries_its_claim_and_a_pull_without_times_gets_none(
    central: Central,
) -> None:
    world = central.world()
    worker, lead = central.enroll("north1"), central.enroll("northlead")
    visit = make_visit(world.cases["N1"], [world.children["N1"]])
    central.clock.now = VISIT_END + timedelta(days=3)
    worker.push_ok(claiming(worker.op(visit), VISIT_END + timedelta(minutes=30)))
    written = VISIT_END + timedelta(days=1)
    addendum = Addendum(id=uuid.uuid4(), visit_id=visit.id,
                        previous_hash=hash_bytes(canonical_json(visit)),
                        reason="Correction", text="Ana's school is Elm Primary.",
                        author="J. Okafor", written_at=written)
    (result,) = worker.push_ok(claiming(worker.op(addendum, "addendum.add"), written))
    assert result["result"] == "accepted" and result["flags"] == []
    assert when(pulled(lead)[str(addendum.id)]) == written
    body = lead.pull(0).json()
    assert all("submitted_at" not in c for c in body["changes"])


def test_rows_stored_before_central_kept_the_claim_still_pull(central: Central) -> None:
    world = central.world()
    worker, lead = central.enroll("north1"), central.enroll("northlead")
    visit = make_visit(world.cases["N1"], [world.children["N1"]])
    worker.push_ok(claiming(worker.op(visit), VISIT_END))
    downgrade(central.engine, "0001")  # the schema before submitted_at: the claim is gone
    upgrade(central.engine)
    change = pulled(lead)[str(visit.id)]
    assert when(change) is None and change["received_at"] is not None
