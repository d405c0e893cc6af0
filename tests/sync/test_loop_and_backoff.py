"""When the laptop tries central again: backoff with jitter, a loop that can be woken and
stopped, and addresses that may not be used. No network needed."""

from __future__ import annotations

import random
import threading

import pytest

from sync.backoff import Backoff
from sync.engine import SyncReport
from sync.errors import CentralUnreachable, DeviceRevoked, ServerAddressRefused, SyncProblem
from sync.loop import SyncLoop
from sync.transport import checked_server_url


def test_backoff_grows_to_its_cap_and_is_spread_by_jitter() -> None:
    backoff = Backoff(base_seconds=1.0, cap_seconds=60.0, rng=random.Random(7))
    assert backoff.delay(0) == 0.0
    for failures, ceiling in ((1, 1.0), (3, 4.0), (6, 32.0), (7, 60.0), (500, 60.0)):
        delays = [backoff.delay(failures) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # full jitter reaches up to the ceiling
        assert len({round(d, 6) for d in delays}) > 150  # laptops do not retry in step


def test_the_loop_backs_off_while_central_is_away_and_syncs_at_once_when_woken() -> None:
    outcomes: list[SyncProblem | None] = [CentralUnreachable("https://c", "no network"),
                                          CentralUnreachable("https://c", "no network"), None]
    reports: list[SyncReport] = []
    problems: list[SyncProblem] = []

    def run_once() -> SyncReport:
        outcome = outcomes.pop(0) if outcomes else None
        if outcome is not None:
            raise outcome
        return SyncReport(pushed=1)

    loop = SyncLoop(run_once, interval_seconds=3600,
                    backoff=Backoff(base_seconds=3600, cap_seconds=3600, rng=random.Random(1)),
                    on_report=reports.append, on_problem=problems.append)
    worker = threading.Thread(target=loop.run)
    worker.start()
    while len(problems) < 1:
        threading.Event().wait(0.01)
    loop.wake()  # e.g. the network came back: no waiting out an hour of backoff
    while len(problems) < 2:
        threading.Event().wait(0.01)
    loop.wake()
    while not reports:
        threading.Event().wait(0.01)
    loop.stop()
    worker.join(10)
    assert not worker.is_alive()
    assert [type(p) for p in problems] == [CentralUnreachable, CentralUnreachable]
    assert reports[0].pushed == 1


def test_the_loop_ends_on_a_refusal_that_waiting_cannot_fix() -> None:
    def run_once() -> SyncReport:
        raise DeviceRevoked("")

    loop = SyncLoop(run_once, interval_seconds=1)
    ended_by = loop.run()
    assert isinstance(ended_by, DeviceRevoked)
    assert "may no longer sync" in ended_by.user_message


@pytest.mark.parametrize("address", ["http://central.example.org", "ftp://central",
                                     "central.example.org", "https://", ""])
def test_records_never_go_in_clear_or_to_a_malformed_address(address: str) -> None:
    with pytest.raises(ServerAddressRefused) as refused:
        checked_server_url(address)
    assert "Nothing was sent" in refused.value.user_message


@pytest.mark.parametrize("address", ["https://central.council.gov.uk/", "http://127.0.0.1:8443",
                                     "http://localhost:8443", "http://[::1]:8443"])
def test_https_anywhere_and_http_only_on_this_machine(address: str) -> None:
    assert checked_server_url(address) == address.rstrip("/")
