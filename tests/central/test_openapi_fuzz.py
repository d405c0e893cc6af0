"""Schemathesis against central's own OpenAPI with every check it has (`--checks all`): no
5xx, no response that breaks the schema, invalid data refused, valid data accepted, a 405
with its `Allow` header.

Bounded: a fixed number of examples an operation, positive and negative data, with a real
access token so the generated requests reach past authentication into push and pull. Every
operation is exercised in every mode on both databases (10 examples each, in this process);
`schemathesis run` itself takes 20 an operation on PostgreSQL, over HTTP.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as SCHEMATHESIS_CHECKS

from tests.central.conftest import empty_tables
from tests.central.harness import Central, Clock
from tests.sync.harness import CentralThread

EXAMPLES_PER_OPERATION = 10
RUN_EXAMPLES_PER_OPERATION = 20
CHECKS = SCHEMATHESIS_CHECKS.get_all()  # as `schemathesis run --checks all`


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_within_its_schema_and_never_with_a_5xx(
    central: Central, mode: GenerationMode,
) -> None:
    central.world()
    laptop = central.enroll("northlead")
    auth = laptop.headers()
    schema = schemathesis.openapi.from_asgi("/openapi.json", central.client.app)
    # The managers' pages answer in HTML with redirects: test_manage_fuzz.py covers them.
    operations = [op for op in (result.ok() for result in schema.get_all_operations())
                  if not op.path.startswith("/manage")]
    assert {op.path for op in operations} >= {"/v1/enroll", "/v1/token", "/v1/sync/push",
                                              "/v1/sync/pull", "/v1/blobs/{sha256}",
                                              "/v1/health"}
    calls: list[int] = []
    for operation in operations:
        has_inputs = bool(len(operation.body) or len(operation.query)
                          or len(operation.path_parameters))
        if mode is GenerationMode.NEGATIVE and not has_inputs:
            continue  # GET /v1/health takes nothing, so nothing about it can be invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  derandomize=True, suppress_health_check=list(HealthCheck))
        def exercise(case: Any) -> None:
            response = case.call_and_validate(headers=auth, checks=CHECKS)
            calls.append(response.status_code)

        exercise()
    assert len(calls) >= len(operations)
    assert all(status < 500 for status in calls)


# What schemathesis cannot know from a schema: a blob whose bytes do not hash to its address
# is refused (422 hash_mismatch), however well-formed the request.
SCHEMATHESIS_CONFIG = """
[[operations]]
include-name = "PUT /v1/blobs/{sha256}"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""


def test_schemathesis_run_with_every_check_finds_nothing(postgres_url: str,
                                                          tmp_path: Path) -> None:
    """The command itself, `schemathesis run --checks all`, against central served over HTTP:
    its coverage phase also sends methods no route serves (a 405 must carry `Allow`) and
    values at the schema's edges."""
    empty_tables(postgres_url)
    served = CentralThread(postgres_url, tmp_path)
    served.start()
    try:
        with httpx.Client(base_url=served.url) as client:
            central = Central(client, served.engine, served.admin.sessions, RealClock(),
                              served.engine.dialect.name)
            central.world()
            auth = central.enroll("northlead").headers()["Authorization"]
        config = tmp_path / "schemathesis.toml"
        config.write_text(SCHEMATHESIS_CONFIG)
        run = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config),
             "--no-color", "run", f"{served.url}/openapi.json", "--checks", "all",
             # The laptops' protocol; the managers' pages (a sign-in page for anyone not
             # signed in) are fuzzed for server errors in test_manage_fuzz.py.
             "--include-path-regex", "^/v1/",
             "-H", f"Authorization: {auth}", "--max-examples", str(RUN_EXAMPLES_PER_OPERATION),
             "--seed", "2013", "--workers", "1"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False)
    finally:
        served.close()
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout or " passed" in run.stdout, run.stdout[-3000:]


class RealClock(Clock):
    """Central served on a thread checks assertions against the real time."""

    def __call__(self) -> datetime:
        return datetime.now(UTC)
