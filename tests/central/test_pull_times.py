"""A pull that asks for `times`: when central received each record, and each team laptop's
last contact (for a team lead only). A pull that does not ask gets neither field, so a
client older than them still parses the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from central.services import admin
from sync.protocol import PullResponse
from tests.central.harness import Central, Laptop
from tests.factories import make_visit


def pull_with_times(laptop: Laptop) -> dict[str, Any]:
    response = laptop.client.get("/v1/sync/pull", params={"cursor": 0, "times": "true"},
                                 headers=laptop.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    PullResponse.model_validate(body)  # the client's own wire model reads it
    return body


def test_a_team_lead_learns_when_central_received_each_visit_and_when_each_laptop_synced(
    central: Central,
) -> None:
    world = central.world()
    worker, colleague = central.enroll("north1"), central.enroll("north2")
    lead, elsewhere = central.enroll("northlead"), central.enroll("south1")
    received = central.clock()
    visit = make_visit(world.cases["N1"], [world.children["N1"]])
    worker.push_ok(worker.op(visit))
    elsewhere.push_ok(elsewhere.op(make_visit(world.cases["S1"], [world.children["S1"]])))
    central.clock.advance(26 * 3600)

    body = pull_with_times(lead)
    (change,) = [c for c in body["changes"] if c["kind"] == "visit"]
    assert datetime.fromisoformat(change["received_at"]) == received
    contacts = {c["device_id"]: c for c in body["device_contacts"]}
    assert set(contacts) == {str(worker.device_id), str(colleague.device_id),
                             str(lead.device_id)}  # the team's laptops, not South's
    assert contacts[str(worker.device_id)]["username"] == "north1"
    assert datetime.fromisoformat(
        contacts[str(worker.device_id)]["last_contact_at"]) == received
    assert datetime.fromisoformat(
        contacts[str(lead.device_id)]["last_contact_at"]) == central.clock()


def test_a_laptop_revoked_drops_out_and_a_worker_is_told_of_no_laptops(
    central: Central,
) -> None:
    central.world()
    worker, spare, lead = (central.enroll("north1"), central.enroll("north1"),
                           central.enroll("northlead"))
    with central.admin() as session:
        admin.set_device_status(session, spare.device_id, "revoked")
    ids = {c["device_id"] for c in pull_with_times(lead)["device_contacts"]}
    assert str(worker.device_id) in ids and str(spare.device_id) not in ids
    assert pull_with_times(worker)["device_contacts"] == []


def test_a_pull_that_does_not_ask_gets_neither_field(central: Central) -> None:
    world = central.world()
    worker, lead = central.enroll("north1"), central.enroll("northlead")
    worker.push_ok(worker.op(make_visit(world.cases["N1"], [world.children["N1"]])))
    response = lead.pull(0)
    assert response.status_code == 200
    body = response.json()
    assert "device_contacts" not in body
    assert body["changes"] and all("received_at" not in c for c in body["changes"])


def test_a_team_lead_who_asks_sees_the_revoked_laptops_and_what_waits_on_them(
    central: Central,
) -> None:
    central.world()
    worker, spare, lead = (central.enroll("north1"), central.enroll("north1"),
                           central.enroll("northlead"))
    elsewhere = central.enroll("south1")
    with central.admin() as session:
        for laptop in (spare, elsewhere):
            admin.set_device_status(session, laptop.device_id, "revoked")
    central.clock.advance(600)
    for laptop in (spare, elsewhere):
        refused = central.client.post("/v1/token", json={
            "client_assertion": laptop.assertion(), "unsent_records": 3})
        assert refused.status_code == 403

    def pull_laptops(laptop: Laptop) -> dict[str, Any]:
        response = laptop.client.get("/v1/sync/pull", params={"cursor": 0, "laptops": "true"},
                                     headers=laptop.headers())
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        PullResponse.model_validate(body)
        return body

    (refused_laptop,) = pull_laptops(lead)["refused_laptops"]  # not South's
    assert refused_laptop == {"device_id": str(spare.device_id), "username": "north1",
                              "status": "revoked", "unsent_records": 3,
                              "last_contact_at": refused_laptop["last_contact_at"]}
    assert datetime.fromisoformat(refused_laptop["last_contact_at"]) == central.clock()
    assert pull_laptops(worker)["refused_laptops"] == []
    assert "refused_laptops" not in pull_with_times(lead)  # only to a pull that asks
    # A pull asking `wipes=true` also hears what became of a lost laptop's wipe order (only
    # then: a laptop from before these fields, asking `laptops=true` alone, refuses them).
    with central.admin() as session:
        admin.set_device_status(session, spare.device_id, "wipe")
    response = lead.client.get("/v1/sync/pull", params={
        "cursor": 0, "laptops": "true", "wipes": "true"}, headers=lead.headers())
    assert response.status_code == 200, response.text
    (lost,) = PullResponse.model_validate(response.json()).refused_laptops or []
    assert (lost.status, lost.wiped_at, lost.recovered_records, lost.lost_records) == (
        "lost", None, 0, None)
    assert set(pull_laptops(lead)["refused_laptops"][0]) == set(refused_laptop)
