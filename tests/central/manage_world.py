"""A central with managers and visits, for the web view's tests (HTTP and browser)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyotp

from central.managers import add_manager
from records.visit import Consistency, ExplanationSource, Visit, VisitOutcome
from tests.central.harness import Central, World
from tests.factories import make_injury, make_observation, make_visit

PASSWORD = "correct horse battery staple"


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 30, tzinfo=UTC)


def visit(world: World, ref: str, day: date, **changes: Any) -> Visit:
    return make_visit(world.cases[ref], [world.children[ref]], started_at=on(day),
                      ended_at=on(day) + timedelta(hours=1), **changes)


@dataclass(frozen=True)
class Managers:
    world: World
    secrets: dict[str, str]
    """Each manager's TOTP secret: `northmgr` (North), `head` (all teams)."""

    def code(self, username: str, at: datetime) -> str:
        return pyotp.TOTP(self.secrets[username]).at(at)


def manage_world(central: Central) -> Managers:
    """North (Ana, Yusuf) and South (Mia); Ana seen on 2 Nov with a bruise her brother
    explained and on 9 Nov not alone, Yusuf seen alone on 12 Nov; Mia never visited."""
    world = central.world()
    laptop = central.enroll("north1")
    ana = world.children["N1"]
    bruise = make_injury(explanation_given_by=ExplanationSource.SIBLING,
                         explanation_words="Her brother says she fell off the sofa.",
                         consistent_with_explanation=Consistency.UNSURE)
    laptop.push_ok(
        laptop.op(visit(world, "N1", date(2026, 11, 2), children=(make_observation(
            ana, injuries_seen=True, injuries=(bruise,), seen_alone=False,
            reason_not_seen_alone="Mother would not leave the room."),))),
        laptop.op(visit(world, "N1", date(2026, 11, 9), children=(make_observation(
            ana, seen_alone=False, reason_not_seen_alone="Grandmother stayed."),))),
        laptop.op(visit(world, "N1", date(2026, 11, 13), outcome=VisitOutcome.NO_ACCESS,
                        no_access_reasons="No answer.", no_access_steps_taken="Card left.",
                        children=(make_observation(ana, seen=False, seen_alone=None,
                                                   reason_not_seen="No access."),))))
    north2 = central.enroll("north2")
    north2.push_ok(north2.op(visit(world, "N2", date(2026, 11, 12), children=(
        make_observation(world.children["N2"], seen_alone=True),))))
    secrets = {}
    box = central.client.app.state.manage.box
    with central.admin() as session:
        secrets["northmgr"] = add_manager(session, box, "northmgr", PASSWORD, teams=["North"],
                                          display_name="Nadia North").totp_secret
        secrets["head"] = add_manager(session, box, "head", PASSWORD, teams=None,
                                      display_name="Head of Service").totp_secret
    return Managers(world, secrets)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)
