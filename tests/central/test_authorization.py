"""Who sees what, as a matrix: authorization lives in the pull query itself."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from central.db.models import BlobUploader
from central.services import admin
from central.services.holdings import child_record
from records.canonical import canonical_json, hash_bytes
from records.case import Case
from records.corrections import Addendum, ReviewDecision, ReviewOutcome
from sync.protocol import ChildRemoved
from tests.central.harness import NOW, Central, Laptop
from tests.factories import make_visit

USERS = ("north1", "north2", "northlead", "south1", "southlead")

# What each user's pull must hold, by label; anything else they receive is a leak.
EXPECTED = {
    "north1": {"child:N1", "review:N1"},
    "north2": {"child:N2"},
    "northlead": {"child:N1", "child:N2", "visit:N1", "visit:N2", "addendum:N1", "review:N1"},
    "south1": {"child:S1"},
    "southlead": {"child:S1", "visit:S1"},
}


@pytest.fixture
def synced(central: Central) -> tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]]:
    world = central.world()
    laptops = {name: central.enroll(name) for name in USERS}
    labels: dict[uuid.UUID, str] = {}
    for ref, child in world.children.items():
        labels[child.id] = f"child:{ref}"
    visits = {}
    for ref, author in (("N1", "north1"), ("N2", "north2"), ("S1", "south1")):
        visit = make_visit(world.cases[ref], [world.children[ref]])
        laptops[author].push_ok(laptops[author].op(visit))
        visits[ref] = visit
        labels[visit.id] = f"visit:{ref}"
    addendum = Addendum(id=uuid.uuid4(), visit_id=visits["N1"].id,
                        previous_hash=hash_bytes(canonical_json(visits["N1"])), reason="r",
                        text="t", author="J", written_at=NOW)
    laptops["north1"].push_ok(laptops["north1"].op(addendum, "addendum.add"))
    labels[addendum.id] = "addendum:N1"
    review = ReviewDecision(id=uuid.uuid4(), visit_id=visits["N1"].id,
                            visit_hash=hash_bytes(canonical_json(visits["N1"])),
                            decided_at=NOW, outcome=ReviewOutcome.RETURNED)
    laptops["northlead"].push_ok(laptops["northlead"].op(review, "review.decide"))
    labels[review.id] = "review:N1"
    return central, laptops, labels


def _seen(laptop: Laptop, labels: dict[uuid.UUID, str]) -> set[str]:
    return {labels[uuid.UUID(json.loads(c["record"])["id"])] for c in laptop.pull_all()}


@pytest.mark.parametrize("user", USERS)
def test_each_user_pulls_exactly_what_their_role_and_team_allow(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]], user: str,
) -> None:
    _central, laptops, labels = synced
    assert _seen(laptops[user], labels) == EXPECTED[user]


def test_reallocating_a_child_moves_it_to_the_new_worker_only(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    central, laptops, labels = synced
    with central.admin() as session:
        child = admin.child_by_reference(session, "N1")
        admin.assign(session, child.id, "north2", central.clock())
    assert "child:N1" in _seen(laptops["north2"], labels)
    assert "child:N1" not in _seen(laptops["north1"], labels)
    assert "child:N1" not in _seen(laptops["south1"], labels)


def test_a_child_pulled_carries_its_case_and_the_signed_visit_carries_its_signature(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    _central, laptops, _labels = synced
    changes = laptops["northlead"].pull_all()
    child = next(c for c in changes if c["kind"] == "child")
    assert json.loads(child["case"])["reference"].startswith("CP-")
    visit = next(c for c in changes if c["kind"] == "visit")
    assert visit["record_hash"] == hashlib.sha256(visit["record"].encode()).hexdigest()
    assert visit["signature"] and visit["submitted_by"] in {"north1", "north2"}


def test_attachments_are_readable_by_their_uploader_and_team_lead_only(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    central, laptops, _labels = synced
    photo = b"photo of a bruise"
    name = hashlib.sha256(photo).hexdigest()
    put = central.client.put(f"/v1/blobs/{name}", content=photo,
                             headers=laptops["north1"].headers())
    assert put.status_code == 200
    readable = {user: central.client.get(f"/v1/blobs/{name}",
                                         headers=laptops[user].headers()).status_code
                for user in USERS}
    assert readable == {"north1": 200, "north2": 404, "northlead": 200, "south1": 404,
                        "southlead": 404}


def test_each_uploader_of_the_same_photo_reads_it_and_no_other_device_learns_it_exists(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    central, laptops, _labels = synced
    photo = b"the same photo taken once, sent from two laptops"
    name = hashlib.sha256(photo).hexdigest()

    def put(user: str) -> dict[str, Any]:
        answer = central.client.put(f"/v1/blobs/{name}", content=photo,
                                    headers=laptops[user].headers())
        assert answer.status_code == 200
        return dict(answer.json())

    def readable() -> dict[str, int]:
        return {user: central.client.get(f"/v1/blobs/{name}",
                                         headers=laptops[user].headers()).status_code
                for user in USERS}

    assert put("north1")["created"] is True
    assert put("south1")["created"] is True  # the same answer as for bytes nobody had sent
    assert put("south1")["created"] is False  # only its own earlier upload is disclosed
    assert readable() == {"north1": 200, "north2": 404, "northlead": 200, "south1": 200,
                          "southlead": 200}
    fetched = central.client.get(f"/v1/blobs/{name}", headers=laptops["south1"].headers())
    assert fetched.content == photo
    with central.admin() as session:
        uploaders = session.scalars(
            select(BlobUploader.user_id).where(BlobUploader.sha256 == name)).all()
    assert len(uploaders) == 2


def _kinds(changes: list[dict[str, Any]], labels: dict[uuid.UUID, str]) -> set[str]:
    return {f'{c["kind"]}={labels[uuid.UUID(json.loads(c["record"])["id"])]}' for c in changes}


def _move_n1_to(username: str,
                synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
                **asks: bool) -> dict[str, set[str]]:
    """Allocate N1 to `username`; what each user's pull then brings, asking `asks`."""
    central, laptops, labels = synced
    with central.admin() as session:
        admin.assign(session, admin.child_by_reference(session, "N1").id, username,
                     central.clock())
    return {user: _kinds(laptops[user].pull_all(laptops[user].cursor, **asks), labels)
            for user in USERS}


def test_a_child_reallocated_away_is_removed_from_whoever_no_longer_sees_it(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    _central, laptops, _labels = synced
    for laptop in laptops.values():
        laptop.pull_all(removals=True)

    def move_n1_to(username: str) -> dict[str, set[str]]:
        return _move_n1_to(username, synced, removals=True)

    # Within the team: north1 must drop N1; their team lead still sees it.
    assert move_n1_to("north2") == {
        "north1": {"child_removed=child:N1"}, "north2": {"child=child:N1"},
        "northlead": {"child=child:N1"}, "south1": set(), "southlead": set()}
    # To another team: north2 and the North team lead drop it; South receives it, and its
    # team lead its history too: the visit that names it, its addendum and the decision
    # (without them South's laptop counted N1 never seen, where central counted the visit).
    assert move_n1_to("south1") == {
        "north1": set(), "north2": {"child_removed=child:N1"},
        "northlead": {"child_removed=child:N1"}, "south1": {"child=child:N1"},
        "southlead": {"child=child:N1", "visit=visit:N1", "addendum=addendum:N1",
                      "review=review:N1"}}


def test_a_child_moved_to_another_team_takes_the_decisions_on_their_visits_with_them(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    """North's visit to N1 waits for a decision when N1 moves to South: South's team lead,
    who now oversees N1, may decide on it; before the move they were refused."""
    central, laptops, labels = synced
    visit_id = next(i for i, label in labels.items() if label == "visit:N1")
    visit_hash = next(c["record_hash"] for c in laptops["northlead"].pull_all()
                      if c["kind"] == "visit" and json.loads(c["record"])["id"] == str(visit_id))

    def decided_by_south() -> dict[str, Any]:
        decision = ReviewDecision(id=uuid.uuid4(), visit_id=visit_id, visit_hash=visit_hash,
                                  decided_at=NOW, outcome=ReviewOutcome.SIGNED_OFF)
        southlead = laptops["southlead"]
        [result] = southlead.push_ok(southlead.op(decision, "review.decide"))
        return result

    assert decided_by_south()["code"] == "not_permitted"
    with central.admin() as session:
        admin.assign(session, admin.child_by_reference(session, "N1").id, "south1",
                     central.clock())
    assert decided_by_south()["result"] == "accepted"


def test_a_removal_names_the_child_and_its_case_and_is_never_sent_unasked(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    central, laptops, _labels = synced
    with central.admin() as session:
        child = admin.child_by_reference(session, "N1")
        child_id, case_id = child.id, child.case_id
        admin.assign(session, child_id, "north2", central.clock())
    [removal] = [c for c in laptops["north1"].pull_all(removals=True)
                 if c["kind"] == "child_removed"]
    assert ChildRemoved.model_validate_json(removal["record"]) == ChildRemoved(
        id=child_id, case_id=case_id)
    assert removal["record_hash"] is None and removal["case"] is None
    # A client that does not ask (written before the kind existed) never meets it.
    for user in USERS:
        assert "child_removed" not in {c["kind"] for c in laptops[user].pull_all()}


def test_what_the_old_team_records_after_a_move_reaches_the_new_team_lead(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    """After N1 moves to South: North's worker's late visit to N1, and the addendum that
    answers South's lead's question on the earlier visit, reach South's lead too (they went
    to North's lead only, and South's queue showed the question unanswered for good)."""
    central, laptops, labels = synced
    for laptop in laptops.values():
        laptop.pull_all(removals=True)
    world_visit = next(i for i, label in labels.items() if label == "visit:N1")
    visit_hash = next(c["record_hash"] for c in laptops["northlead"].pull_all()
                      if c["kind"] == "visit" and json.loads(c["record"])["id"] == str(world_visit))
    with central.admin() as session:
        n1 = admin.child_by_reference(session, "N1")
        case, child = n1.case_id, child_record(n1)
        admin.assign(session, n1.id, "south1", central.clock())
    for user in ("southlead", "northlead"):
        laptops[user].pull_all(laptops[user].cursor, removals=True)  # the move itself
    question = ReviewDecision(id=uuid.uuid4(), visit_id=world_visit, visit_hash=visit_hash,
                              decided_at=NOW, outcome=ReviewOutcome.RETURNED,
                              comment="Who else was there?")
    laptops["southlead"].push_ok(laptops["southlead"].op(question, "review.decide"))
    answer = Addendum(id=uuid.uuid4(), visit_id=world_visit, previous_hash=visit_hash,
                      reason="Answer", text="Her uncle.", author="J", written_at=NOW,
                      answers_review_id=question.id)
    late = make_visit(Case(id=case, reference="CP-1"), [child])
    laptops["north1"].push_ok(laptops["north1"].op(answer, "addendum.add"),
                              laptops["north1"].op(late))
    labels |= {answer.id: "answer:N1", late.id: "late:N1", question.id: "question:N1"}
    assert _kinds(laptops["southlead"].pull_all(laptops["southlead"].cursor), labels) == {
        "review=question:N1", "addendum=answer:N1", "visit=late:N1"}
    # North's lead, who no longer has N1, is sent neither the question nor the late visit;
    # North's worker gets the question (it is about their visit).
    north = _kinds(laptops["northlead"].pull_all(laptops["northlead"].cursor), labels)
    assert "review=question:N1" not in north and "visit=late:N1" in north
    assert "review=question:N1" in _kinds(laptops["north1"].pull_all(), labels)


def test_brothers_and_sisters_moving_together_bring_their_family_visit_once(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    """N1 and N2 move to South in one import (one transaction): the visit naming both is
    sent to South's lead once, not once a child."""
    central, laptops, labels = synced
    with central.admin() as session:
        n1, n2 = (admin.child_by_reference(session, ref) for ref in ("N1", "N2"))
        both = make_visit(Case(id=n1.case_id, reference="CP-1"),
                          [child_record(n1), child_record(n2)])
    laptops["north1"].push_ok(laptops["north1"].op(both))
    laptops["southlead"].pull_all(laptops["southlead"].cursor, removals=True)
    with central.admin() as session:
        for ref in ("N1", "N2"):
            admin.assign(session, admin.child_by_reference(session, ref).id, "south1",
                         central.clock())
    sent = [uuid.UUID(json.loads(c["record"])["id"]) for c in
            laptops["southlead"].pull_all(laptops["southlead"].cursor, removals=True)
            if c["kind"] == "visit"]
    earlier = {i for i, label in labels.items() if label in ("visit:N1", "visit:N2")}
    assert sorted(map(str, sent)) == sorted(map(str, {both.id, *earlier}))  # each once


def test_a_child_moved_to_another_worker_takes_their_visits_to_that_worker(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    """N1 moves from north1 to north2, then to south1, then back to north1. Each new worker
    is sent the visits and addenda about N1, visit before addendum (not the team lead's
    decisions, which answer the visit's author), and only when they ask (`history=true`);
    north1 gets their own back, which their laptop's purge may have taken. A laptop pulling
    from the start is sent a child's history only while the child is its user's."""
    _central, laptops, labels = synced
    for laptop in laptops.values():
        laptop.pull_all(removals=True, history=True)

    def move_n1_to(username: str) -> dict[str, set[str]]:
        return _move_n1_to(username, synced, history=True)

    assert move_n1_to("north2") == {
        "north1": set(), "north2": {"child=child:N1", "visit=visit:N1", "addendum=addendum:N1"},
        "northlead": {"child=child:N1"}, "south1": set(), "southlead": set()}
    assert move_n1_to("south1") == {
        "north1": set(), "north2": set(), "northlead": set(),
        "south1": {"child=child:N1", "visit=visit:N1", "addendum=addendum:N1"},
        "southlead": {"child=child:N1", "visit=visit:N1", "addendum=addendum:N1",
                      "review=review:N1"}}
    # A client that does not ask (written before it stored visits it did not make) is sent
    # the child alone, as before.
    assert _kinds(laptops["south1"].pull_all(), labels) == {"child=child:S1", "child=child:N1"}
    in_order = [labels[uuid.UUID(json.loads(c["record"])["id"])]
                for c in laptops["south1"].pull_all(history=True)]
    assert in_order.index("visit:N1") < in_order.index("addendum:N1")
    # north2, pulling again from the start (a new laptop, say), is not sent N1's history.
    assert _kinds(laptops["north2"].pull_all(history=True), labels) == {"child=child:N2"}
    # Back in North: North's lead is sent N1's history again too (its laptop let N1's
    # visits go from its index when N1 left, though it pushed them itself).
    assert move_n1_to("north1") == {
        "north1": {"child=child:N1", "visit=visit:N1", "addendum=addendum:N1"},
        "north2": set(), "south1": set(), "southlead": set(),
        "northlead": {"child=child:N1", "visit=visit:N1", "addendum=addendum:N1",
                      "review=review:N1"}}


def test_a_visit_naming_a_child_of_another_worker_reaches_that_worker(
    synced: tuple[Central, dict[str, Laptop], dict[uuid.UUID, str]],
) -> None:
    """north1 visits the family and records N1 and N2 (N2 is north2's), and adds to it:
    north2 is sent the visit and the addendum as they arrive, north1 neither back."""
    central, laptops, labels = synced
    for laptop in laptops.values():
        laptop.pull_all(history=True)
    with central.admin() as session:
        n1, n2 = (admin.child_by_reference(session, ref) for ref in ("N1", "N2"))
        both = make_visit(Case(id=n1.case_id, reference="CP-1"),
                          [child_record(n1), child_record(n2)])
    north1 = laptops["north1"]
    north1.push_ok(north1.op(both))
    added = Addendum(id=uuid.uuid4(), visit_id=both.id,
                     previous_hash=hash_bytes(canonical_json(both)), reason="r", text="t",
                     author="J", written_at=NOW)
    north1.push_ok(north1.op(added, "addendum.add"))
    labels |= {both.id: "visit:both", added.id: "addendum:both"}
    assert _kinds(laptops["north2"].pull_all(laptops["north2"].cursor, history=True),
                  labels) == {"visit=visit:both", "addendum=addendum:both"}
    assert _kinds(north1.pull_all(north1.cursor, history=True), labels) == set()
    assert _kinds(laptops["northlead"].pull_all(laptops["northlead"].cursor), labels) == {
        "visit=visit:both", "addendum=addendum:both"}
