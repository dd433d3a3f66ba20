"""Schemathesis against a real station's own /openapi.json: whatever arrives, the answer is never a 5xx
(the station turns an unhandled exception into 503 "internal", so any 5xx here is a bug), every request
that breaks the schema gets a 4xx, and every refusal is the protocol's JSON {"code", "message"}.

Two passes per operation, each positive (schema-valid) and negative (schema-breaking) data: everything
generated, headers included; then with sound version headers and a township token, so the generated
bodies and queries get past the gate to the code behind it. Derandomized: the same examples every run.
"""
from __future__ import annotations

import contextlib
import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from sync import protocol
from tests.station_support import new_account, running_station

pytestmark = pytest.mark.slow
EXAMPLES = 12                   # per operation, mode and pass: under 1,000 requests in all, well under a minute
BUDGET_S = 45                    # stops generating when spent (the suite's budget on 2 cores)


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    yield from running_station("sqlite", tmp_path_factory.mktemp("fuzzed"))


def check(case, response: requests.Response, failures: list) -> None:
    where = f"{case.method} {case.formatted_path} query={case.query!r} headers={case.headers!r} body={case.body!r}"
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {response.text[:200]} <- {where}")
    elif response.status_code < 400 and _broke_the_schema(case):
        failures.append(f"schema-breaking request accepted ({response.status_code}) <- {where}")
    if 400 <= response.status_code < 500:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not (isinstance(body, dict) and body.get("code") and body.get("message")):
            failures.append(f"{response.status_code} without the protocol's JSON error: "
                            f"{response.text[:200]} <- {where}")


def _broke_the_schema(case) -> bool:
    """A negative case that broke the body, the path, or a declared query parameter's value.

    Unknown query parameters are not counted: HTTP servers ignore them, as the station does."""
    meta = case.meta
    if meta is None:
        return False
    if meta.is_negative_at(ParameterLocation.BODY) or meta.is_negative_at(ParameterLocation.PATH):
        return True
    if not meta.is_negative_at(ParameterLocation.QUERY):
        return False
    declared = {p.name: p.definition.get("schema", {}) for p in case.operation.query}
    return any(not _fits(value, declared[name]) for name, value in (case.query or {}).items() if name in declared)


def _fits(value, schema: dict) -> bool:
    """Whether a query value, as text on the wire, reads as the declared integer or boolean."""
    text = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else value
    kind = schema.get("type")
    if kind == "integer":
        try:
            number = int(text) if not isinstance(text, (list, dict, float)) else None
        except (TypeError, ValueError):
            return False
        return number is not None and number >= schema.get("minimum", number)
    if kind == "boolean":
        return str(text).lower() in ("true", "false", "1", "0", "yes", "no", "on", "off")
    return True


def fuzz(schema, base_url: str, headers: dict | None, failures: list, deadline: float) -> int:
    session, sent = requests.Session(), 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, headers=headers)

            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case):
                nonlocal sent
                if time.monotonic() > deadline:
                    return
                response = case.call(base_url=base_url, session=session, timeout=30)
                sent += 1
                check(case, response, failures)

            with contextlib.suppress(Unsatisfiable):     # nothing to break (no parameters, no body): no negative case
                run()
    return sent


def test_the_station_answers_any_request_without_a_5xx_and_refuses_malformed_ones_with_a_4xx(station):
    township = new_account(station, role="township", grids=("420704100",))
    worker = new_account(station)
    schema = schemathesis.openapi.from_url(station.url + "/openapi.json")
    assert {"/v1/push", "/v1/pull", "/v1/login"} <= set(schema.raw_schema["paths"])
    failures: list[str] = []
    deadline = time.monotonic() + BUDGET_S
    sent = fuzz(schema, station.url, None, failures, deadline)
    for device in (township, worker):
        sent += fuzz(schema, station.url, {**protocol.version_headers(), "Authorization": f"Bearer {device.token}"},
                     failures, deadline)
    assert not failures, "\n".join(failures[:20])
    assert sent >= 200                                   # the budget was not eaten before the fuzzing began
    assert requests.get(station.url + "/health", timeout=10).status_code == 200
    log = station.log()
    assert "Traceback" not in log and "unexpected error" not in log, log[-3000:]
