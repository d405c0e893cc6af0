"""Central flags a visit `incomplete_record` only for what the laptop's own rules refuse: a
family member interpreting is a fact for the team lead, not an incomplete record."""

from __future__ import annotations

from records.visit import Interpreter, InterpreterKind
from tests.central.harness import Central
from tests.factories import make_observation, make_visit


def test_a_family_member_interpreting_is_not_flagged_incomplete(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    ana = world.children["N1"]
    visit = make_visit(world.cases["N1"], [ana], language_of_parents="Polish",
                       interpreter=Interpreter(kind=InterpreterKind.FAMILY_MEMBER,
                                               name="Kasia (aunt)"))
    [result] = laptop.push_ok(laptop.op(visit))
    assert result["result"] == "accepted"
    assert "incomplete_record" not in result["flags"]


def test_a_contradiction_is_still_flagged_incomplete_and_kept(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    ana = world.children["N1"]
    contradicted = make_observation(ana, seen=False, reason_not_seen="At nursery.",
                                    seen_alone=True)
    visit = make_visit(world.cases["N1"], [ana], children=(contradicted,))
    [result] = laptop.push_ok(laptop.op(visit))
    assert result["result"] == "accepted"
    assert "incomplete_record" in result["flags"]
