"""Pull cursors never skip or repeat; logs never carry a record's content."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator

import pytest

from central.core.logging import JsonFormatter
from central.services import admin, ingest
from records.canonical import canonical_json
from tests.central.harness import Central
from tests.factories import make_injury, make_observation, make_visit


def test_paging_with_a_small_limit_walks_every_change_once_even_as_new_ones_arrive(
    central: Central,
) -> None:
    world = central.world()
    worker, lead = central.enroll("north1"), central.enroll("northlead")
    pushed = [make_visit(world.cases["N1"], [world.children["N1"]]) for _ in range(7)]
    worker.push_ok(*(worker.op(v) for v in pushed[:4]))
    seen: list[str] = []
    cursor, pages = 0, 0
    while True:
        body = lead.pull(cursor, limit=2).json()
        seen += [json.loads(c["record"])["id"] for c in body["changes"] if c["kind"] == "visit"]
        assert body["next_cursor"] >= cursor
        cursor, pages = body["next_cursor"], pages + 1
        if pages == 2:
            worker.push_ok(*(worker.op(v) for v in pushed[4:]))
        if not body["has_more"]:
            break
    body = lead.pull(cursor, limit=2).json()
    seen += [json.loads(c["record"])["id"] for c in body["changes"] if c["kind"] == "visit"]
    assert sorted(seen) == sorted(str(v.id) for v in pushed)
    assert len(seen) == len(set(seen))
    assert lead.pull(lead.pull(cursor, limit=100).json()["next_cursor"]).json()["changes"] == []


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(n) for n in ("central", "uvicorn")]
    levels = [lg.level for lg in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if logger.name == "central" else logging.INFO)
    yield stream
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_no_record_field_ever_reaches_a_log_line(central: Central, log_lines: io.StringIO) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    marker = "MARKER-" + uuid.uuid4().hex
    child = world.children["N1"]
    observation = make_observation(child, child_words=f"{marker} words",
                                   injuries_seen=True, injuries=(make_injury(
                                       explanation_words=f"{marker} explanation"),))
    visit = make_visit(world.cases["N1"], [child], analysis=f"{marker} analysis",
                       children=(observation,), location=marker)
    data = canonical_json(visit)
    laptop.push_ok(laptop.op(visit))
    laptop.push_ok(laptop.op(visit, data=data.replace(b"analysis", b"analysys")))
    laptop.push_ok(laptop.op(visit, record_hash="0" * 64))
    central.client.post("/v1/sync/push", headers=laptop.headers(),
                        json={"operations": [{"op_id": marker, "payload": marker}]})
    laptop.pull_all()
    central.enroll("northlead").pull_all()
    text = log_lines.getvalue()
    assert "push.stored" in text and "request" in text
    assert marker not in text
    lines = [json.loads(line) for line in text.splitlines()]
    # Central's own line a request says who asked (`serve` turns uvicorn's access log off,
    # tests/central/test_migrations_and_cli.py), with the answer's status.
    requests = [line for line in lines if line["event"] == "request"]
    assert requests and all(line["client"] and line["status"] for line in requests)


def test_one_line_a_push_names_each_op_it_stored_and_warns_of_a_refusal(
    central: Central, log_lines: io.StringIO,
) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    case, child = world.cases["N1"], world.children["N1"]
    first, second, third = (laptop.op(make_visit(case, [child])) for _ in range(3))
    refused = laptop.op(make_visit(case, [child]), record_hash="0" * 64)
    laptop.push_ok(first, second)
    laptop.push_ok(first, third, refused)  # `first` again: answered, not stored again

    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    stored = [line for line in lines if line["event"] == "push.stored"]
    assert [(line["level"], line["accepted"], line["refused"]) for line in stored] == [
        ("info", 2, 0), ("warning", 1, 1)]
    assert all(line["device_id"] == str(laptop.device_id) for line in stored)
    assert [[op["op_id"] for op in line["ops"]] for line in stored] == [
        [first["op_id"], second["op_id"]], [third["op_id"], refused["op_id"]]]
    accepted, rejected = stored[1]["ops"]
    assert (accepted["kind"], accepted["result"], accepted["code"]) == (
        "visit.submit", "accepted", None)
    assert (rejected["result"], rejected["code"], rejected["flags"]) == (
        "rejected", "hash_mismatch", [])
    assert not any(line["event"] == "op.stored" for line in lines)


def test_a_large_push_is_logged_a_line_each_so_many_ops(
    central: Central, log_lines: io.StringIO, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """So that no line reaches journald's limit (48 KB; 100 ops a line as shipped)."""
    monkeypatch.setattr(ingest, "_OPS_A_LINE", 2)
    world = central.world()
    laptop = central.enroll("north1")
    ops = [laptop.op(make_visit(world.cases["N1"], [world.children["N1"]])) for _ in range(3)]
    ops.append(laptop.op(make_visit(world.cases["N1"], [world.children["N1"]]),
                         record_hash="0" * 64))
    laptop.push_ok(*ops)

    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    stored = [line for line in lines if line["event"] == "push.stored"]
    assert [(line["level"], line["accepted"], line["refused"]) for line in stored] == [
        ("info", 2, 0), ("warning", 1, 1)]
    assert [op["op_id"] for line in stored for op in line["ops"]] == [o["op_id"] for o in ops]


def test_a_pull_counts_as_the_laptops_last_contact(central: Central) -> None:
    central.world()
    laptop = central.enroll("north1")
    laptop.headers()
    central.clock.advance(300)  # within the token's life: no new token is fetched
    assert laptop.pull().status_code == 200
    with central.admin() as session:
        [device] = [d for d in admin.list_devices(session) if d.device_id == laptop.device_id]
    assert device.last_contact_at == central.clock()


def test_a_log_line_is_one_json_object_whatever_its_values() -> None:
    """orjson writes the line; what it cannot (an integer beyond 64 bits) goes the slower
    way, and either keeps text as it is (not escaped) and ids as text."""
    formatter = JsonFormatter()
    device = uuid.uuid4()

    def line(**extra: object) -> dict[str, object]:
        record = logging.getLogger("central.test").makeRecord(
            "central.test", logging.INFO, __file__, 1, "op.stored", (), None, extra=extra)
        text = formatter.format(record)
        assert "\n" not in text and "é" in text
        parsed: dict[str, object] = json.loads(text)
        return parsed

    quick = line(device_id=device, worker="Zoé", flags=["late_upload"])
    assert (quick["event"], quick["level"], quick["device_id"], quick["flags"]) == (
        "op.stored", "info", str(device), ["late_upload"])
    slow = line(count=2**70, worker="Zoé")
    assert slow["count"] == 2**70 and slow["worker"] == "Zoé"
