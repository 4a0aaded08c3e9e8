"""Schemathesis against the app's own OpenAPI, over real HTTP, on a started summit: every
operation, anonymous and with a delegation token, answers no 5xx and matches its documented
response schema. Fixed seed (derandomised), a bounded number of examples per operation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.helpers import FULL, ISSUES, PARTIES
from tests.e2e.conftest import launch, stop

pytestmark = pytest.mark.e2e
EXAMPLES = 10


@pytest.fixture
def fuzzed(database_url: str) -> Iterator[tuple[str, dict[str, Any]]]:
    # Short solver searches and long polls: the budget is spent on inputs, not on waiting.
    process, url = launch(
        database_url, PARLEY_SOLVER_TIME_LIMIT="0.3", PARLEY_MAX_WAIT_SECONDS="0.2"
    )
    try:
        yield url, started_summit(url)
    finally:
        stop(process)


def started_summit(url: str) -> dict[str, Any]:
    with httpx.Client(base_url=url) as http:
        body = {
            "title": "fuzz",
            "issues": ISSUES,
            "parties": PARTIES,
            "protocol": {"max_rounds": 50},
        }
        created = http.post("/summits", json=body).json()
        summit, tokens = created["summit"]["id"], created["tokens"]
        kurds = {"Authorization": f"Bearer {tokens['parties']['kurds']}"}
        red_line = {"label": "cell", "expr": "joint_cell", "visibility": "private"}
        http.post(f"/summits/{summit}/parties/kurds/red-lines", json=red_line, headers=kurds)
        convener = {"Authorization": f"Bearer {tokens['convener']}"}
        http.post(f"/summits/{summit}/start", headers=convener).raise_for_status()
        government = {"Authorization": f"Bearer {tokens['parties']['government']}"}
        http.post(
            f"/summits/{summit}/rounds/current/proposals",
            json={"package": FULL},
            headers=government,
        ).raise_for_status()
        # The event stream of a summit in play stays open: it is fuzzed on one that has ended,
        # whose stream closes after its last event.
        ended = http.post("/summits", json=body).json()
        ended_convener = {"Authorization": f"Bearer {ended['tokens']['convener']}"}
        ended_id = ended["summit"]["id"]
        http.post(f"/summits/{ended_id}/abort", headers=ended_convener).raise_for_status()
        return {"id": summit, "kurds": kurds, "ended": ended_id}


def test_no_operation_answers_5xx_or_breaks_its_schema(fuzzed) -> None:
    url, summit = fuzzed
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        for headers in ({}, summit["kurds"]):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                target = summit["ended"] if operation.path.endswith("/stream") else summit["id"]
                fuzz(operation.as_strategy(generation_mode=mode), url, target, headers, failures)
    assert not failures, "\n\n".join(failures[:5])


def fuzz(
    strategy: Any, url: str, summit_id: str, headers: dict[str, str], failures: list[str]
) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if case.path_parameters and "summit_id" in case.path_parameters:
            case.path_parameters["summit_id"] = summit_id
        # The caller is the one chosen: anonymous, or the delegation (never a random token).
        kept = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        case.headers = {**kept, **headers}
        try:
            case.call_and_validate(
                base_url=url,
                headers=headers,
                timeout=30,
                checks=[not_a_server_error, response_schema_conformance],
            )
        except Exception as error:  # every failure is collected, the run goes on
            who = "token" if headers else "anonymous"
            failures.append(f"{case.operation.label} ({who}, {case.method} {case.path}): {error}")

    run()
