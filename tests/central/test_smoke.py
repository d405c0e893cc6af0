from __future__ import annotations

from tests.central.harness import Central
from tests.factories import make_visit


def test_a_worker_enrolls_pushes_a_visit_and_gets_a_signed_receipt(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    visit = make_visit(world.cases["N1"], [world.children["N1"]])
    [result] = laptop.push_ok(laptop.op(visit))
    assert result["result"] == "accepted", result
    assert result["flags"] == []
