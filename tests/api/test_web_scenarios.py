"""The console's scenario desk over HTTP: built-ins listed, a text checked into API calls or
answered with its located problems, and nothing created either way."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx
import pytest

from clients.scenario import load_scenario
from tests.api.helpers import bearer, snapshot
from tests.web.scenario import SCENARIO_YAML

pytestmark = pytest.mark.anyio


async def _check(client: httpx.AsyncClient, body: Any) -> httpx.Response:
    return await client.post("/web/scenarios/check", json=body)


async def test_the_built_in_scenarios_are_listed(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/web/scenarios")).json()
    names = [item["name"] for item in listed]
    assert names == ["river-treaty", "syria-2016"]
    syria = listed[1]
    assert syria["title"] == load_scenario("syria-2016").title
    assert [p["key"] for p in syria["parties"]] == ["government", "kurds", "usa", "russia"]


async def test_a_built_in_scenario_is_answered_as_the_calls_that_set_it_up(
    client: httpx.AsyncClient, database
) -> None:
    before = snapshot(database)
    plan = (await _check(client, {"builtin": "river-treaty"})).json()
    assert snapshot(database) == before  # checking creates nothing
    scenario = load_scenario("river-treaty")
    assert plan["create"] == scenario.summit_body()
    highvale = plan["parties"][0]
    assert highvale["key"] == "highvale"
    assert highvale["red_lines"] == [rl.api() for rl in scenario.party("highvale").red_lines]
    assert any(rl["relax"] != "never" for rl in highvale["red_lines"])
    # The calls, made as the console makes them, set the scenario's table up.
    created = (await client.post("/summits", json=plan["create"])).json()
    summit, tokens = created["summit"]["id"], created["tokens"]
    for party in plan["parties"]:
        headers = bearer(tokens["parties"][party["key"]])
        for body in party["red_lines"]:
            url = f"/summits/{summit}/parties/{party['key']}/red-lines"
            assert (await client.post(url, json=body, headers=headers)).status_code == 201
        url = f"/summits/{summit}/parties/{party['key']}/preferences"
        assert (
            await client.put(url, json=party["preferences"], headers=headers)
        ).status_code == 200
    lines = await client.get(f"/summits/{summit}/red-lines", headers=bearer(tokens["convener"]))
    assert sorted(rl["label"] for rl in lines.json()) == sorted(
        rl.label for party in scenario.parties for rl in party.red_lines
    )


async def test_an_uploaded_text_is_checked_like_a_scenario_file(client: httpx.AsyncClient) -> None:
    plan = (await _check(client, {"text": SCENARIO_YAML, "source": "mine.yaml"})).json()
    assert plan["scenario"]["name"] == "web-test"
    assert [p["key"] for p in plan["parties"]] == ["north", "south", "east"]


def _place(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column where ``needle`` first appears in ``text``."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


WRONG_OPTION = SCENARIO_YAML.replace("expr: water_share != low", "expr: water_share != none")
WRONG_ISSUE = SCENARIO_YAML.replace("expr: years >= 5", "expr: yeers >= 5")
NOT_YAML = SCENARIO_YAML.replace("protocol: {max_rounds: 4}", "protocol: {max_rounds: 4")
WRONG_VISIBILITY = SCENARIO_YAML.replace("visibility: public", "visibility: everyone")
WRONG_PREFERENCE = SCENARIO_YAML.replace(
    "weights: {water_share: 3.21", "weights: {water_shar: 3.21"
)


@pytest.mark.parametrize(
    ("broken", "place", "words"),
    [
        (WRONG_OPTION, _place(WRONG_OPTION, "none"), "none"),
        (WRONG_ISSUE, _place(WRONG_ISSUE, "yeers"), "yeers"),
        (NOT_YAML, None, "not valid YAML"),
        (WRONG_VISIBILITY, _place(WRONG_VISIBILITY, "everyone"), "'everyone' is not allowed"),
        (WRONG_PREFERENCE, _place(WRONG_PREFERENCE, "3.21"), "unknown issue 'water_shar'"),
    ],
)
async def test_a_broken_text_answers_its_located_problems_and_creates_nothing(
    client: httpx.AsyncClient, database, broken: str, place: tuple[int, int] | None, words: str
) -> None:
    before = snapshot(database)
    response = await _check(client, {"text": broken, "source": "mine.yaml"})
    assert snapshot(database) == before
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_scenario"
    assert error["message"].startswith("mine.yaml: the scenario has")
    problem = error["details"]["errors"][0]
    assert words in problem["message"]
    assert problem["line"] is not None
    assert problem["column"] is not None
    if place is not None:
        assert (problem["line"], problem["column"]) == place
    assert problem["located"].startswith(f"mine.yaml:{problem['line']}:{problem['column']}: ")


async def test_a_text_beyond_four_times_the_largest_built_in_is_refused(
    client: httpx.AsyncClient,
) -> None:
    big = SCENARIO_YAML + "notes: |\n" + "  padding of the notes\n" * 7000
    response = await _check(client, {"text": big, "source": "big.yaml"})
    assert response.status_code == 422
    assert "over 131072 characters" in response.json()["error"]["details"]["errors"][0]["message"]


async def test_an_alias_bomb_and_deep_nesting_are_refused(client: httpx.AsyncClient) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [{', '.join(['*' + previous] * 10)}]\n"
    response = await _check(client, {"text": bomb})
    assert response.status_code == 422
    assert "aliases expand" in response.json()["error"]["details"]["errors"][0]["message"]
    deep = await _check(client, {"text": "[" * 5000 + "]" * 5000})
    assert deep.status_code == 422
    assert "nested too deeply" in deep.json()["error"]["details"]["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"builtin": "atlantis"}, 404),
        ({"builtin": "syria-2016", "text": "x"}, 422),
        ({}, 422),
        ({"text": 5}, 422),
        ([], 422),
    ],
)
async def test_a_bad_request_is_answered_in_the_one_error_shape(
    client: httpx.AsyncClient, body: Any, status: int
) -> None:
    response = await _check(client, body)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "details"}


async def test_only_json_is_read(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/web/scenarios/check", content="builtin=syria-2016",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status_code == 415


def test_the_web_side_loads_the_scenario_reader_without_the_http_client() -> None:
    probe = (
        "import sys, service.web.pages; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('clients', 'httpx')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "clients.scenario" in loaded
    for heavy in ("clients.client", "clients.delegation", "clients.runner", "'httpx'"):
        assert heavy not in loaded
