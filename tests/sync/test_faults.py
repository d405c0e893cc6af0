"""Real processes killed with SIGKILL mid-sync, and a network that resets, truncates and
stalls: nothing is lost, nothing is doubled at central, nothing fails its integrity check."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.services import admin
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.kill_rounds import KILL_POINTS, Rounds
from tests.sync.proxy import FaultyProxy


@pytest.fixture
def proxy(central: CentralProcess) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(central.port)
    yield proxy
    proxy.close()


@pytest.fixture
def process_proxy(central_process: CentralProcess) -> Iterator[FaultyProxy]:
    """The proxy in front of central in its own process, which the kill rounds SIGKILL."""
    proxy = FaultyProxy(central_process.port)
    yield proxy
    proxy.close()


def laptop_behind(proxy: FaultyProxy, central: CentralProcess, root: Path) -> Laptop:
    central.admin.world()
    laptop = Laptop.create(root, "north1")
    enrolled = laptop.enroll(proxy.url, central.admin.invite("north1"))
    assert enrolled.returncode == 0, enrolled.stderr
    assert laptop.sync().returncode == 0
    return laptop


def test_a_sync_killed_at_each_step_loses_and_doubles_nothing(
        central_process: CentralProcess, process_proxy: FaultyProxy, tmp_path: Path) -> None:
    central, proxy = central_process, process_proxy
    rounds = Rounds(central, proxy, laptop_behind(proxy, central, tmp_path))
    for point in KILL_POINTS:
        rounds.run(point, visits=60 if point == "central_killed_mid_batch" else 2)
    rounds.check_exactly_once()
    assert all(count == 1 for count in rounds.kills.values())


@pytest.mark.slow
def test_a_hundred_and_twenty_killed_rounds(central_process: CentralProcess,
                                            process_proxy: FaultyProxy, tmp_path: Path) -> None:
    central, proxy = central_process, process_proxy
    rounds = Rounds(central, proxy, laptop_behind(proxy, central, tmp_path))
    rng = random.Random(2013)
    for number in range(120):
        point = KILL_POINTS[number % len(KILL_POINTS)] if number < 8 else rng.choice(KILL_POINTS)
        rounds.run(point, visits=rng.randint(1, 4))
        if number % 30 == 29:
            rounds.check_exactly_once()
    rounds.check_exactly_once()
    assert sum(rounds.kills.values()) == 120


def test_the_queue_drains_once_the_network_stops_failing(
        central: CentralProcess, proxy: FaultyProxy, tmp_path: Path) -> None:
    laptop = laptop_behind(proxy, central, tmp_path)
    visit_ids: list[uuid.UUID] = []
    proxy.fault_rate = 0.7
    for _ in range(6):
        visit_ids += laptop.submit_visits(3)
        outcome = laptop.sync("--timeout", "2", "--attempts", "2")
        assert outcome.returncode in (0, 2), outcome.stderr
        if outcome.returncode == 2:
            assert "Nothing was lost" in outcome.stderr, outcome.stderr
        if sum(proxy.faults.values()) >= 2:
            break
    assert sum(proxy.faults.values()) > 0, "no fault was injected; nothing was tested"
    proxy.fault_rate = 0.0
    final = laptop.sync()
    assert final.returncode == 0, final.stdout + final.stderr
    assert sorted(central.visit_ids()) == sorted(visit_ids)
    assert central.operation_count(laptop.device_id) == len(visit_ids)


@pytest.mark.parametrize("lost", [b"POST /v1/enroll", b"POST /v1/token"])
def test_an_enrollment_whose_answer_is_lost_still_enrolls(
        central: CentralProcess, proxy: FaultyProxy, tmp_path: Path, lost: bytes) -> None:
    """Central commits the enrollment, and its answer (or the token's right after) never
    reaches the laptop: the connection is reset. The laptop tries again and is enrolled."""
    central.admin.world()
    laptop = Laptop.create(tmp_path, "north1")
    proxy.reset_answers_to, proxy.resets_left = lost, 2
    enrolled = laptop.enroll(proxy.url, central.admin.invite("north1"))
    assert enrolled.returncode == 0, enrolled.stderr
    assert proxy.resets_left == 0  # both answers were lost; the third try got through
    assert laptop.sync().returncode == 0  # its caseload
    laptop.submit_visits(1)
    synced = laptop.sync()
    assert synced.returncode == 0, synced.stderr
    assert len(central.visit_ids()) == 1
    with central.admin.admin() as session:
        devices = admin.list_devices(session)
    assert [(d.device_id, d.status) for d in devices] == [(laptop.device_id, "active")]


def test_a_killed_central_is_gone_with_all_its_workers(central_process: CentralProcess) -> None:
    """`kill` is a power cut for every process of `homevisit-central serve` (on PostgreSQL a
    supervisor and a worker a core): nothing answers on its port after, and a new central
    starts there. Killing the supervisor alone left its workers serving."""
    assert central_process.answers()
    central_process.kill()
    assert not central_process.answers()
    central_process.start()
    assert central_process.answers()
