"""Schemathesis over the managers' pages (/manage/), signed in and not: whatever is sent,
no 5xx. Their answers are HTML, redirects and refusals, so only "no server error" is checked
here (the API's own schema checks are in test_openapi_fuzz.py)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from central.web.access import COOKIE
from tests.central.harness import Central
from tests.central.manage_world import PASSWORD, csrf_of, manage_world

EXAMPLES_PER_OPERATION = 8  # every managers' page, signed in and not, in both modes
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_managers_page_answers_with_a_5xx_whatever_is_sent(
        central: Central, mode: GenerationMode) -> None:
    managers = manage_world(central)
    client = central.client
    client.base_url = client.base_url.copy_with(scheme="https")
    form = client.get("/manage/login")
    client.post("/manage/login", data={
        "username": "northmgr", "password": PASSWORD, "csrf": csrf_of(form.text),
        "code": managers.code("northmgr", central.clock())}, follow_redirects=False)
    cookie = client.cookies.get(COOKIE, path="/manage")
    assert cookie
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [op for op in (result.ok() for result in schema.get_all_operations())
                  if op.path.startswith("/manage")]
    assert {op.path for op in operations} >= {
        "/manage/login", "/manage/service", "/manage/teams/{team}",
        "/manage/children/{child_id}", "/manage/lists/{name}", "/manage/children.csv"}
    statuses: list[int] = []
    for operation in operations:
        has_inputs = bool(len(operation.body) or len(operation.query)
                          or len(operation.path_parameters))
        if mode is GenerationMode.NEGATIVE and not has_inputs:
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  derandomize=True, suppress_health_check=list(HealthCheck))
        def exercise(case: Any) -> None:
            for headers in ({"Cookie": f"{COOKIE}={cookie}"}, {}):
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error])
                statuses.append(response.status_code)

        try:
            exercise()
        except Unsatisfiable:
            # Only free-text inputs (a team's name): nothing about them can be invalid.
            assert mode is GenerationMode.NEGATIVE
    assert statuses and all(status < 500 for status in statuses)
