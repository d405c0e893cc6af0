"""Schemathesis against central's own OpenAPI: no 5xx, no response that breaks the schema.

Bounded: a fixed number of examples an operation, positive and negative data, with a real
access token so the generated requests reach past authentication into push and pull.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.central.harness import Central

EXAMPLES_PER_OPERATION = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


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
