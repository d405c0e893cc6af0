"""The collector is tuned in one place, from the UI thread only, and given back at lock."""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator

import pytest

from desktop_app import collector


def test_an_unlocked_session_freezes_pauses_during_sync_runs_and_lock_gives_back() -> None:
    collector.pause_during_sync()  # no session: a late signal from a stopped thread
    assert gc.isenabled()
    collector.hold_for_session()
    try:
        assert gc.get_freeze_count() > 0
        collector.pause_during_sync()
        assert not gc.isenabled()
        collector.resume_after_sync()
        assert gc.isenabled()
        collector.pause_during_sync()  # locked in the middle of a run
    finally:
        collector.release_after_session()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_no_other_thread_may_switch_the_process_wide_collector() -> None:
    refused: list[BaseException] = []

    def from_a_worker() -> None:
        try:
            collector.hold_for_session()
        except RuntimeError as error:
            refused.append(error)

    worker = threading.Thread(target=from_a_worker)
    worker.start()
    worker.join()
    assert len(refused) == 1 and "UI thread" in str(refused[0])
    assert gc.get_freeze_count() == 0


def test_the_collector_is_switched_nowhere_else() -> None:
    """The laptop's collector is switched only in desktop_app/collector.py; central, a
    program of its own, freezes its uvicorn worker's start-up heap once, where it makes the
    worker's app (central/app.py)."""
    from tests.test_layering import ROOT, product_modules

    switching = [path.relative_to(ROOT).as_posix() for path in product_modules()
                 if re.search(r"\bimport gc\b|\bgc\.", path.read_text())]
    assert sorted(switching) == ["central/app.py", "desktop_app/collector.py"]


@pytest.fixture(autouse=True)
def _given_back() -> Iterator[None]:
    yield
    collector.release_after_session()
