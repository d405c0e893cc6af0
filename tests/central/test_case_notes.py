"""Notes between visits at central, on SQLite and PostgreSQL: pushed by laptops, imported by
IT from another agency's list, and pulled only by those allocated the children or their team
lead (in the pull query itself), and only by a laptop that asks (`notes=true`)."""

from __future__ import annotations

import base64
import io
import json
import uuid
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from central.core.keys import load_server_keys
from central.db.models import CaseNoteRow, ChangeRow
from central.errors import CentralError
from central.services import admin
from central.services.notifications import import_notifications
from records.case_notes import ConcernConsidered
from tests.central.harness import NOW, Central, Laptop
from tests.factories import make_notification

USERS = ("north1", "north2", "northlead", "south1", "southlead")
HEADER = "case_reference,child_ids,source,kind,received_on,summary,child_seen_on,entered_by\n"
GOOD_ROW = ("CP-1,N1,West Midlands Police,police_domestic_abuse,2026-11-14,"
            "\"Called at 23:40; partner shouting, children upstairs.\",2026-11-13,IT (MASH)\n")


def notes_pulled(laptop: Laptop, *, notes: bool = True,
                 answered: bool = True) -> dict[str, dict[str, Any]]:
    """Every note change this laptop's pull brings, by note id."""
    found: dict[str, dict[str, Any]] = {}
    cursor = 0
    while True:
        params: dict[str, Any] = {"cursor": cursor, "limit": 200}
        if notes:
            params["notes"] = "true"
        if answered:
            params["answered_notes"] = "true"
        body = laptop.client.get("/v1/sync/pull", params=params, headers=laptop.headers()).json()
        for change in body["changes"]:
            if change["kind"] == "note":
                found[json.loads(change["record"])["id"]] = change
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return found


def import_file(central: Central, text: str) -> Any:
    keys = load_server_keys(central.sessions, None, None)
    with central.admin() as session:
        return import_notifications(session, io.StringIO(text), keys, central.clock())


def test_a_pushed_note_is_stored_once_and_reaches_only_those_who_may_see_it(
        central: Central) -> None:
    world = central.world()
    laptops = {name: central.enroll(name) for name in USERS}
    north1 = laptops["north1"]
    note = make_notification(world.cases["N1"], [world.children["N1"]])
    op = north1.op(note, "note.add")
    (first,) = north1.push_ok(op)
    assert first["result"] == "accepted" and first["flags"] == []
    (again,) = north1.push_ok(op)
    assert again["result"] == "duplicate" and again["receipt"] == first["receipt"]
    # Not north2's child: kept and flagged, never refused.
    other = make_notification(world.cases["N1"], [world.children["N1"]])
    (flagged,) = laptops["north2"].push_ok(laptops["north2"].op(other, "note.add"))
    assert flagged["result"] == "accepted"
    assert flagged["flags"] == ["child_not_allocated_to_worker"]

    seen = {name: set(notes_pulled(laptop)) for name, laptop in laptops.items()}
    both = {str(note.id), str(other.id)}
    # north2 keeps theirs on their own laptop; a pull brings notes on one's own children.
    assert seen == {"north1": both, "north2": set(), "northlead": both, "south1": set(),
                    "southlead": set()}
    # A laptop that does not ask for notes (older than them) never gets one.
    assert notes_pulled(laptops["northlead"], notes=False) == {}
    change = notes_pulled(laptops["northlead"])[str(note.id)]
    assert change["device_id"] == str(north1.device_id) and change["submitted_by"] == "north1"
    assert change["record"] == op["payload"]["record"]


def test_a_note_with_answers_goes_only_to_a_laptop_that_can_read_them(
        central: Central) -> None:
    """A laptop older than protocol 7 refuses an agency note's `reports_injury` and
    `reports_food_or_weight`: it is not sent such a note, and still gets the others."""
    world = central.world()
    north1, lead = central.enroll("north1"), central.enroll("northlead")
    answered = make_notification(world.cases["N1"], [world.children["N1"]],
                                 reports_injury=True)
    before = make_notification(world.cases["N1"], [world.children["N1"]],
                               reports_injury=None, reports_food_or_weight=None)
    assert b"reports_injury" not in north1.op(before, "note.add")["payload"]["record"].encode()
    north1.push_ok(north1.op(answered, "note.add"), north1.op(before, "note.add"))
    # A team lead's decision naming the concerns it covered is of protocol 7 too.
    decided = ConcernConsidered(
        id=uuid.uuid4(), case_id=world.cases["N1"].id, child_ids=(world.children["N1"].id,),
        flag_code="repeat_injuries", decision="Medical arranged.", considered_at=NOW,
        covered=(answered.id,))
    (accepted,) = lead.push_ok(lead.op(decided, "note.add"))
    assert accepted["result"] == "accepted"
    assert set(notes_pulled(lead, answered=False)) == {str(before.id)}
    # IT is told which laptop is older: its pulls did not ask for these notes.
    with central.admin() as session:
        (line,) = [d for d in admin.list_devices(session) if d.device_id == lead.device_id]
    assert line.older.startswith("older than protocol 7: not sent agency notes")
    assert set(notes_pulled(lead)) == {str(answered.id), str(before.id), str(decided.id)}
    with central.admin() as session:
        (line,) = [d for d in admin.list_devices(session) if d.device_id == lead.device_id]
    assert line.older == ""
    with central.admin() as session:
        kept = session.execute(select(CaseNoteRow.id, CaseNoteRow.readable_from))
        assert {row.id: row.readable_from for row in kept} == {
            answered.id: 7, before.id: 3, decided.id: 7}


def test_only_a_team_lead_may_record_that_a_concern_was_considered(central: Central) -> None:
    world = central.world()
    worker, lead = central.enroll("north1"), central.enroll("northlead")
    considered = ConcernConsidered(
        id=uuid.uuid4(), case_id=world.cases["N1"].id, child_ids=(world.children["N1"].id,),
        flag_code="food_or_weight", decision="Referred to the school nurse.",
        considered_by="R. Lead", considered_at=NOW)
    (refused,) = worker.push_ok(worker.op(considered, "note.add"))
    assert refused["result"] == "rejected" and refused["code"] == "not_permitted"
    (accepted,) = lead.push_ok(lead.op(considered, "note.add"))
    assert accepted["result"] == "accepted"


def test_a_note_that_is_not_a_note_is_refused_with_a_reason(central: Central) -> None:
    world = central.world()
    worker = central.enroll("north1")
    note = make_notification(world.cases["N1"], [world.children["N1"]])
    data = json.dumps({**json.loads(note.model_dump_json()), "note": "gossip"},
                      sort_keys=True, separators=(",", ":")).encode()
    (refused,) = worker.push_ok(worker.op(note, "note.add", data=data))
    assert refused["result"] == "rejected" and refused["code"] == "invalid_record"


def test_imported_notifications_are_signed_by_central_and_reach_the_workers_and_lead(
        central: Central) -> None:
    world = central.world()
    laptops = {name: central.enroll(name) for name in USERS}
    done = import_file(central, HEADER + GOOD_ROW +
                       "CP-3,S1,Hill School,operation_encompass,2026-11-15,"
                       "Mia upset at school after an incident at home.,,IT (MASH)\n")
    assert (done.imported, done.already_there) == (2, 0)
    assert import_file(central, HEADER + GOOD_ROW).already_there == 1  # nothing doubled

    seen = {name: notes_pulled(laptop) for name, laptop in laptops.items()}
    assert [len(seen[name]) for name in USERS] == [1, 0, 1, 1, 1]
    (change,) = seen["north1"].values()
    assert change["device_id"] is None and change["submitted_by"] == "central"
    note = json.loads(change["record"])
    assert note["child_ids"] == [str(world.children["N1"].id)]
    assert note["kind"] == "police_domestic_abuse" and note["received_on"] == "2026-11-14"
    assert note["child_seen_on"] == "2026-11-13" and note["entered_by"] == "IT (MASH)"
    Ed25519PublicKey.from_public_bytes(laptops["north1"].receipt_key).verify(
        base64.b64decode(change["signature"]), change["record"].encode())


def test_an_imported_list_may_say_what_each_notification_reports(central: Central) -> None:
    """Optional columns: yes or no, or empty where the agency did not say (then a school's
    or health's concern counts as a food or weight concern, as every one did before)."""
    central.world()
    lead = central.enroll("northlead")
    header = HEADER.rstrip("\n") + ",reports_injury,reports_food_or_weight\n"
    done = import_file(central, header + GOOD_ROW.rstrip("\n") + ",Yes,no\n"
                       + "CP-1,N1,Elm Row Primary,school_concern,2026-11-12,"
                       "Came in hungry.,,IT (MASH),,\n")
    assert done.imported == 2
    notes = {json.loads(c["record"])["source"]: json.loads(c["record"])
             for c in notes_pulled(lead).values()}
    assert (notes["West Midlands Police"]["reports_injury"],
            notes["West Midlands Police"]["reports_food_or_weight"]) == (True, False)
    assert "reports_injury" not in notes["Elm Row Primary"]
    assert set(notes_pulled(lead, answered=False)) == {notes["Elm Row Primary"]["id"]}
    # A row imported again is the same notification, answers or not: nothing doubled.
    again = import_file(central, header + "CP-1,N1,Elm Row Primary,school_concern,2026-11-12,"
                        "Came in hungry.,,IT (MASH),no,yes\n")
    assert (again.imported, again.already_there) == (0, 1)
    with pytest.raises(CentralError) as refused:
        import_file(central, header + GOOD_ROW.rstrip("\n") + ",maybe,no\n"
                    + GOOD_ROW.rstrip("\n") + ",,yes\n")
    assert ("Row 2, column reports_injury: 'maybe' is not an answer: write yes or no"
            in refused.value.message)
    assert ("Row 3, column reports_injury: is empty while the other answer is given"
            in refused.value.message)


def test_a_bad_file_names_each_problem_and_imports_nothing(central: Central) -> None:
    central.world()
    bad = (HEADER + GOOD_ROW
           + "CP-1,N1,Police,police_domestic_abuse,14/11/2026,Called out.,,IT\n"
           + "CP-1,S1,Police,burglary,2026-11-14,,,IT\n"
           + "CP-9,N1,Police,marac,2099-01-01,Referred.,,\n")
    with pytest.raises(CentralError) as refused:
        import_file(central, bad)
    message = refused.value.message
    assert message.startswith("Nothing was imported: 3 rows")
    for expected in ("Row 3, column received_on: '14/11/2026' is not a date",
                     "Row 4, column child_ids: child 'S1' is not on case CP-1",
                     "Row 4, column kind: 'burglary' is not a kind of notification",
                     "Row 4, column summary: Write what the agency told you.",
                     "Row 5, column case_reference: no case has the reference 'CP-9'",
                     "Row 5, column received_on: The date received is after today",
                     "Row 5, column entered_by: is empty"):
        assert expected in message
    with central.admin() as session:
        assert session.scalar(select(func.count()).select_from(CaseNoteRow)) == 0
        assert session.scalar(select(func.count()).select_from(ChangeRow).where(
            ChangeRow.kind == "note")) == 0
    with pytest.raises(CentralError) as wrong_columns:
        import_file(central, "case_reference,child_ids,source,recieved_on\nCP-1,N1,P,x\n")
    assert "lacks the column(s) kind, received_on, summary, entered_by" in \
        wrong_columns.value.message
    assert "does not know: recieved_on" in wrong_columns.value.message


def test_a_child_allocated_to_another_worker_brings_its_notes(central: Central) -> None:
    central.world()
    north2 = central.enroll("north2")
    import_file(central, HEADER + GOOD_ROW)

    def pull_notes_from(cursor: int) -> tuple[list[dict[str, Any]], int]:
        body = north2.client.get("/v1/sync/pull", params={"cursor": cursor, "notes": "true"},
                                 headers=north2.headers()).json()
        return body["changes"], body["next_cursor"]

    changes, cursor = pull_notes_from(0)
    assert [c["kind"] for c in changes] == ["child"]  # N2 only; the note is about N1
    with central.admin() as session:
        child = admin.child_by_reference(session, "N1")
        admin.assign(session, child.id, "north2", NOW)
    changes, _ = pull_notes_from(cursor)  # the laptop's cursor is past the import
    assert sorted(c["kind"] for c in changes) == ["child", "note"]
    (note,) = [json.loads(c["record"]) for c in changes if c["kind"] == "note"]
    assert note["received_on"] == date(2026, 11, 14).isoformat()
