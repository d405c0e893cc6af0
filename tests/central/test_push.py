"""Pushing ops: verified on receipt, stored once, answered with a signed receipt."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from central.db.models import (
    AddendumRow,
    CaseNoteChild,
    CaseNoteRow,
    ChangeRow,
    OperationRow,
    ReviewRow,
    User,
    VisitRow,
)
from central.services.pull import notes_readable_from
from records.canonical import canonical_json, hash_bytes
from records.corrections import Addendum, ReviewDecision, ReviewOutcome
from sync.protocol import PushReceipt, Receipt
from tests.central.harness import NOW, Central, Laptop, World
from tests.factories import make_notification, make_visit


def _count(central: Central, model: Any) -> int:
    with central.admin() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _user_and_team(central: Central, username: str) -> tuple[int, int | None]:
    with central.admin() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.id, user.team_id


def _visit(world: World, ref: str = "N1", **changes: Any) -> Any:
    return make_visit(world.cases[ref], [world.children[ref]], **changes)


def _receipt_ok(laptop: Laptop, result: dict[str, Any]) -> bool:
    return Receipt.model_validate(result["receipt"]).is_signed_by(laptop.receipt_key)


def test_an_accepted_visit_is_stored_exactly_as_signed_with_a_verifiable_receipt(
    central: Central,
) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    visit = _visit(world)
    op = laptop.op(visit)
    [result] = laptop.push_ok(op)
    assert result["result"] == "accepted" and result["flags"] == []
    assert result["receipt"]["record_hash"] == hash_bytes(canonical_json(visit))
    assert result["receipt"]["device_id"] == str(laptop.device_id)
    assert _receipt_ok(laptop, result)
    forged = {**result["receipt"], "result": "rejected"}
    assert not Receipt.model_validate(forged).is_signed_by(laptop.receipt_key)
    with central.admin() as session:
        stored = session.get(VisitRow, visit.id)
        assert stored is not None
        assert stored.canonical_json == op["payload"]["record"]
        assert stored.signature == base64.b64decode(op["payload"]["signature"])


def test_every_column_a_push_writes_reads_back_as_it_was_sent(central: Central) -> None:
    """One push at an instant with microseconds: a visit (flagged: north2's child), its
    addendum, a note about two children and a review decision a worker may not make
    (refused); then the team lead's decision. Every row of every table a push writes holds
    the exact text, bytes, ids, instants, flags and NULLs (on PostgreSQL each table's rows
    travel as one JSON text)."""
    world = central.world()
    central.clock.advance(0.123456)
    laptop, lead = central.enroll("north1"), central.enroll("northlead")
    visit = _visit(world, "N2")
    addendum = _addendum(visit.id, hash_bytes(canonical_json(visit)))
    note = make_notification(world.cases["N1"], [world.children["N1"], world.children["N2"]])
    ops = [laptop.op(visit), laptop.op(addendum, "addendum.add"), laptop.op(note, "note.add"),
           laptop.op(_review(visit), "review.decide")]
    results = laptop.push_ok(*ops)
    assert [r["result"] for r in results] == ["accepted"] * 3 + ["rejected"]
    assert results[0]["flags"] == ["child_not_allocated_to_worker"]
    decision = _review(visit)
    decision_op = lead.op(decision, "review.decide")
    [decided] = lead.push_ok(decision_op)
    now = central.clock()
    north1, northlead = _user_and_team(central, "north1"), _user_and_team(central, "northlead")
    north2 = _user_and_team(central, "north2")

    def signed(op: dict[str, Any]) -> tuple[str, str, bytes]:
        payload = op["payload"]
        return payload["record"], payload["record_hash"], base64.b64decode(payload["signature"])

    with central.admin() as session:
        row = session.get(VisitRow, visit.id)
        assert row is not None
        assert (row.case_id, row.device_id, row.user_id, row.team_id) == (
            visit.case_id, laptop.device_id, *north1)
        assert (row.canonical_json, row.record_hash, row.signature) == signed(ops[0])
        assert row.received_at == now and row.received_at.microsecond == 123456
        assert row.flags == results[0]["flags"] and row.submitted_at is None
        added = session.get(AddendumRow, addendum.id)
        assert added is not None
        assert (added.visit_id, added.previous_hash, added.submitted_at) == (
            visit.id, addendum.previous_hash, None)
        assert (added.canonical_json, added.record_hash, added.signature) == signed(ops[1])
        assert (added.device_id, added.received_at, added.flags) == (laptop.device_id, now, [])
        kept = session.get(CaseNoteRow, note.id)
        assert kept is not None
        assert (kept.note, kept.case_id, kept.device_id, kept.user_id, kept.team_id) == (
            note.note, note.case_id, laptop.device_id, *north1)
        assert (kept.canonical_json, kept.record_hash, kept.signature) == signed(ops[2])
        assert (kept.entered_at_central, kept.received_at, kept.flags) == (
            False, now, results[2]["flags"])
        assert kept.readable_from == notes_readable_from(note)
        assert set(session.scalars(select(CaseNoteChild.child_id)
                                   .where(CaseNoteChild.note_id == note.id))) == {
            world.children["N1"].id, world.children["N2"].id}
        review = session.get(ReviewRow, decision.id)
        assert review is not None
        assert (review.visit_id, review.outcome, review.user_id, review.team_id) == (
            visit.id, "signed_off", *northlead)
        assert (review.canonical_json, review.record_hash, review.signature) == signed(
            decision_op)
        operations = {row.op_id: row for row in session.scalars(select(OperationRow))}
        for op, result in (*zip(ops, results, strict=True), (decision_op, decided)):
            stored = operations[uuid.UUID(op["op_id"])]
            assert (stored.sequence, stored.kind, stored.result, stored.code,
                    stored.message) == (op["sequence"], op["kind"], result["result"],
                                        result.get("code"), result.get("message"))
            assert stored.record_hash == op["payload"]["record_hash"]
            assert stored.receipt_signature == base64.b64decode(result["receipt"]["signature"])
            assert stored.received_at == now and stored.flags == result["flags"]
        refused = operations[uuid.UUID(ops[3]["op_id"])]
        assert refused.code == "not_permitted" and refused.record_id is None
        assert operations[uuid.UUID(ops[0]["op_id"])].record_id == visit.id
        changes = set(session.execute(
            select(ChangeRow.kind, ChangeRow.entity_id, ChangeRow.owner_user_id,
                   ChangeRow.team_id, ChangeRow.created_at)
            .where(ChangeRow.entity_id.in_([visit.id, addendum.id, note.id, decision.id])))
            .all())
        # The visit and its addendum also go to north2, whose child N2 is: for them alone.
        assert changes == {("visit", visit.id, *north1, now),
                           ("addendum", addendum.id, *north1, now),
                           ("visit", visit.id, north2[0], None, now),
                           ("addendum", addendum.id, north2[0], None, now),
                           ("note", note.id, *north1, now),
                           ("review", decision.id, north1[0], northlead[1], now)}


def test_a_duplicate_gets_the_original_result_and_receipt_and_is_stored_once(
    central: Central,
) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    op = laptop.op(_visit(world))
    [first] = laptop.push_ok(op)
    central.clock.advance(30)
    [again] = laptop.push_ok(op)
    [within_batch_a, within_batch_b] = laptop.push_ok(op, op)
    assert again["result"] == "duplicate" and again["original_result"] == "accepted"
    assert again["receipt"] == first["receipt"]
    assert within_batch_a["receipt"] == within_batch_b["receipt"] == first["receipt"]
    assert _count(central, VisitRow) == 1
    assert _count(central, OperationRow) == 1


def _push_asking_one_receipt(laptop: Laptop, *ops: dict[str, Any]) -> dict[str, Any]:
    response = laptop.client.post("/v1/sync/push", headers=laptop.headers(),
                                  json={"operations": list(ops), "receipt": "push"})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_push_asking_one_receipt_gets_one_signature_for_all_its_ops(
    central: Central,
) -> None:
    """Protocol 8: one receipt lists each op once, in the push's order, as central holds it
    (a duplicate with its first result and instant); no op keeps a signature of its own, and
    a laptop that asks again the older way gets the receipt of its own that central would
    have kept."""
    world = central.world()
    laptop = central.enroll("north1")
    first = laptop.op(_visit(world))
    [first_answer] = laptop.push_ok(first)
    central.clock.advance(30)
    fresh, refused = laptop.op(_visit(world)), _tamper(laptop, world)["hash_mismatch"]
    answer = _push_asking_one_receipt(laptop, fresh, first, refused, fresh)
    assert [r["result"] for r in answer["results"]] == [
        "accepted", "duplicate", "rejected", "duplicate"]
    assert all(r["receipt"] is None for r in answer["results"])
    receipt = PushReceipt.model_validate(answer["receipt"])
    assert receipt.is_signed_by(laptop.receipt_key)
    assert receipt.device_id == laptop.device_id
    assert [(str(op.op_id), op.result, op.record_hash) for op in receipt.ops] == [
        (fresh["op_id"], "accepted", fresh["payload"]["record_hash"]),
        (first["op_id"], "accepted", first["payload"]["record_hash"]),
        (refused["op_id"], "rejected", "0" * 64)]
    assert receipt.ops[1].received_at == datetime.fromisoformat(
        first_answer["receipt"]["received_at"])
    assert receipt.ops[0].received_at == receipt.ops[1].received_at + timedelta(seconds=30)
    forged = receipt.model_copy(update={"ops": receipt.ops[:2]})
    assert not forged.is_signed_by(laptop.receipt_key)
    with central.admin() as session:
        signatures = {op_id: signature for op_id, signature in session.execute(
            select(OperationRow.op_id, OperationRow.receipt_signature))}
    assert signatures[uuid.UUID(fresh["op_id"])] is None
    assert signatures[uuid.UUID(first["op_id"])] is not None

    central.clock.advance(30)
    [again] = laptop.push_ok(fresh)
    assert again["result"] == "duplicate" and _receipt_ok(laptop, again)
    assert datetime.fromisoformat(again["receipt"]["received_at"]) == receipt.ops[0].received_at
    assert laptop.push(fresh).json() == {"results": [again]}  # no receipt of the push's


def _tamper(laptop: Laptop, world: World) -> dict[str, dict[str, Any]]:
    visit = _visit(world)
    data = canonical_json(visit)
    pretty = json.dumps(json.loads(data), indent=1).encode()
    other_key_signature = base64.b64encode(b"\x00" * 64).decode()
    not_a_visit = b'{"id":"not-a-uuid"}'
    ops = {
        "hash_mismatch": laptop.op(visit, record_hash="0" * 64),
        "bad_signature": laptop.op(visit),
        "not_canonical": laptop.op(visit, data=pretty),
        "invalid_record": laptop.op(visit, data=not_a_visit),
        "unknown_op_kind": laptop.op(visit, kind="visit.delete", record_kind="visit"),
        "kind_mismatch": laptop.op(visit, kind="addendum.add", record_kind="visit"),
        "wrong_device": laptop.op(visit, device_id=uuid.uuid4()),
    }
    ops["bad_signature"]["payload"]["signature"] = other_key_signature
    return ops


def test_records_that_cannot_be_trusted_are_rejected_with_a_code_and_nothing_is_stored(
    central: Central,
) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    ops = _tamper(laptop, world)
    results = laptop.push_ok(*ops.values())
    for (expected, _), result in zip(ops.items(), results, strict=True):
        assert result["result"] == "rejected", (expected, result)
        assert result["code"] == expected
        assert result["message"] and result["message"].endswith(".")
        assert _receipt_ok(laptop, result)
    assert _count(central, VisitRow) == 0
    again = laptop.push_ok(*ops.values())
    assert [r["result"] for r in again] == ["duplicate"] * len(ops)
    assert [r["code"] for r in again] == list(ops)
    assert {r["original_result"] for r in again} == {"rejected"}


def test_a_record_that_neither_verifies_nor_reads_is_refused_for_its_signature(
    central: Central,
) -> None:
    """Central reads a record before it knows the laptop's key (to look up what the record
    is about in the same round trip as the device); the refusal still follows the documented
    order, in which the signature comes before the format."""
    world = central.world()
    laptop = central.enroll("north1")
    visit = _visit(world)
    unreadable = [b'{"id":"not-a-uuid"}',
                  json.dumps(json.loads(canonical_json(visit)), indent=1).encode()]
    ops = [laptop.op(visit, data=data) for data in unreadable]
    for op in ops:
        op["payload"]["signature"] = base64.b64encode(b"\x00" * 64).decode()
    results = laptop.push_ok(*ops, laptop.op(visit))
    assert [r["code"] for r in results] == ["bad_signature", "bad_signature", None]
    assert results[2]["result"] == "accepted"
    assert _count(central, VisitRow) == 1


def test_a_record_nested_past_any_parser_is_refused_alone(central: Central) -> None:
    """Records are read before the device's key is known: bytes no reader can take (nested
    thousands deep) are refused as that op's own, never the whole push's (a 500 would block
    the laptop's queue on every retry)."""
    world = central.world()
    laptop = central.enroll("north1")
    visit = _visit(world)
    nested = b'{"note":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    forged = laptop.op(visit, "note.add", data=nested)
    forged["payload"]["signature"] = base64.b64encode(b"\x00" * 64).decode()
    signed = laptop.op(visit, "note.add", data=nested)
    results = laptop.push_ok(laptop.op(visit), forged, signed)
    assert [(r["result"], r["code"]) for r in results] == [
        ("accepted", None), ("rejected", "bad_signature"), ("rejected", "invalid_record")]
    assert _count(central, VisitRow) == 1


def test_one_bad_op_does_not_block_the_good_ones_around_it(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    good_a, good_b = laptop.op(_visit(world)), laptop.op(_visit(world))
    bad = laptop.op(_visit(world), record_hash="f" * 64)
    results = laptop.push_ok(good_a, bad, good_b)
    assert [r["result"] for r in results] == ["accepted", "rejected", "accepted"]
    assert _count(central, VisitRow) == 2


def test_a_different_record_under_an_existing_id_is_refused_not_overwritten(
    central: Central,
) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    visit = _visit(world)
    laptop.push_ok(laptop.op(visit))
    altered = visit.model_copy(update={"analysis": "Changed afterwards."})
    [result] = laptop.push_ok(laptop.op(altered))
    assert result["code"] == "record_conflict"
    [same] = laptop.push_ok(laptop.op(visit))
    assert same["result"] == "accepted" and same["flags"] == ["already_received"]
    with central.admin() as session:
        stored = session.get(VisitRow, visit.id)
        assert stored is not None and stored.canonical_json == canonical_json(visit).decode()


def test_visits_are_never_refused_for_business_reasons_they_are_flagged(
    central: Central,
) -> None:
    world = central.world()
    north2 = central.enroll("north2")
    unknown_child = world.children["N1"].model_copy(update={"id": uuid.uuid4()})
    reassigned = make_visit(world.cases["N1"], [world.children["N1"]])
    late = make_visit(world.cases["N2"], [world.children["N2"]])
    stranger = make_visit(world.cases["N2"].model_copy(update={"id": uuid.uuid4()}),
                          [unknown_child])
    incomplete = make_visit(world.cases["N2"], [world.children["N2"]], analysis="")
    central.clock.advance(timedelta(days=5).total_seconds())
    results = north2.push_ok(*(north2.op(v) for v in (reassigned, late, stranger, incomplete)))
    assert [r["result"] for r in results] == ["accepted"] * 4
    assert "child_not_allocated_to_worker" in results[0]["flags"]
    assert "late_upload" in results[1]["flags"]
    assert {"case_unknown", "child_unknown"} <= set(results[2]["flags"])
    assert "incomplete_record" in results[3]["flags"]
    assert _count(central, VisitRow) == 4


def _addendum(visit_id: uuid.UUID, previous: str, text: str = "Correction.") -> Addendum:
    return Addendum(id=uuid.uuid4(), visit_id=visit_id, previous_hash=previous,
                    reason="Typo", text=text, author="J. Okafor", written_at=NOW)


def test_addenda_chain_to_the_visit_and_a_broken_chain_is_flagged(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    visit = _visit(world)
    laptop.push_ok(laptop.op(visit))
    first = _addendum(visit.id, hash_bytes(canonical_json(visit)))
    second = _addendum(visit.id, hash_bytes(canonical_json(first)))
    forked = _addendum(visit.id, hash_bytes(canonical_json(first)), text="Fork.")
    orphan = _addendum(uuid.uuid4(), "a" * 64)
    results = laptop.push_ok(*(laptop.op(a, "addendum.add") for a in
                               (first, second, forked, orphan)))
    assert [r["result"] for r in results] == ["accepted"] * 4
    assert [r["flags"] for r in results] == [[], [], ["addendum_chain_broken"],
                                             ["visit_not_received"]]
    assert _count(central, AddendumRow) == 4


def _review(visit: Any, outcome: ReviewOutcome = ReviewOutcome.SIGNED_OFF) -> ReviewDecision:
    return ReviewDecision(id=uuid.uuid4(), visit_id=visit.id,
                          visit_hash=hash_bytes(canonical_json(visit)), reviewer="M. Lead",
                          decided_at=NOW, outcome=outcome)


def test_only_the_visits_own_team_lead_records_a_review_decision(central: Central) -> None:
    world = central.world()
    worker = central.enroll("north1")
    visit = _visit(world)
    worker.push_ok(worker.op(visit))
    northlead, southlead = central.enroll("northlead"), central.enroll("southlead")
    [by_worker] = worker.push_ok(worker.op(_review(visit), "review.decide"))
    [by_other_lead] = southlead.push_ok(southlead.op(_review(visit), "review.decide"))
    [by_lead] = northlead.push_ok(northlead.op(_review(visit), "review.decide"))
    assert by_worker["code"] == "not_permitted"
    assert by_other_lead["code"] == "not_permitted"
    assert by_lead["result"] == "accepted" and by_lead["flags"] == []
    assert _count(central, ReviewRow) == 1
    # The documented order (docs/sync-protocol.md): a worker's decision under an id central
    # holds is refused for who sent it, before central says whether it holds the id; the
    # other team's lead is refused for the team after it.
    held = _review(visit).model_copy(update={"id": _held_review_id(central),
                                             "reviewer": "Another Lead"})
    [same_id_by_worker] = worker.push_ok(worker.op(held, "review.decide"))
    [same_id_by_other_lead] = southlead.push_ok(southlead.op(held, "review.decide"))
    assert same_id_by_worker["code"] == "not_permitted"
    assert same_id_by_other_lead["code"] == "record_conflict"


def _held_review_id(central: Central) -> uuid.UUID:
    with central.admin() as session:
        return session.scalars(select(ReviewRow.id)).one()


def test_one_push_writing_every_table_stores_each_op_once(central: Central) -> None:
    # On PostgreSQL a batch's rows go in one statement (a data-modifying CTE a table): a visit,
    # its addendum and a review of it in one push, with a refused op among them.
    world = central.world()
    lead = central.enroll("northlead")
    visit = _visit(world)
    addendum = _addendum(visit.id, hash_bytes(canonical_json(visit)))
    ops = [lead.op(visit), lead.op(addendum, "addendum.add"),
           lead.op(_review(visit), "review.decide"),
           lead.op(_visit(world), record_hash="e" * 64)]
    changes_before = _count(central, ChangeRow)  # the caseload's own
    results = lead.push_ok(*ops)
    assert [r["result"] for r in results] == ["accepted", "accepted", "accepted", "rejected"]
    assert [r["flags"] for r in results[1:3]] == [[], []]  # each saw the visit in the batch
    again = lead.push_ok(*ops)
    assert [r["result"] for r in again] == ["duplicate"] * 4
    assert [r["receipt"] for r in again] == [r["receipt"] for r in results]
    counts = [_count(central, model) for model in (VisitRow, AddendumRow, ReviewRow,
                                                     OperationRow)]
    assert counts == [1, 1, 1, 4]
    # The team's three, and the visit and its addendum for north1, whose child N1 is.
    assert _count(central, ChangeRow) - changes_before == 5
