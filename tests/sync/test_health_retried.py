"""The version check that opens every sync (`GET /v1/health`) is retried like every other
request: one connection lost or one 503 on a bad link does not end `homevisit sync`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.sync.harness import CentralProcess
from tests.sync.test_sync_thread import enrolled
from tests.sync.test_wipe_order_signed import Impostor, behind, impostors  # noqa: F401

pytestmark = pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)

UNAVAILABLE = {"error": "database_unavailable", "message": "Central cannot reach its database."}


def test_a_failed_first_health_check_is_retried(
        central: CentralProcess, tmp_path: Path, impostors: list[Impostor]) -> None:  # noqa: F811
    laptop = enrolled(central, tmp_path)
    laptop.submit_visits(2)
    health_answers = 0

    def answer(path: str) -> tuple[int, dict[str, Any]] | None:
        nonlocal health_answers
        if path == "/v1/health":
            health_answers += 1
            if health_answers == 1:
                return 503, UNAVAILABLE
        return None  # the real central answers

    impostors.append(impostor := Impostor(answer, relay_to=central.url))
    behind(laptop, impostor)
    synced = laptop.sync()
    assert synced.returncode == 0, synced.stderr
    assert "Everything is synced." in synced.stdout
    assert impostor.paths[:2] == ["/v1/health", "/v1/health"]
    assert len(central.visit_ids()) == 2
