"""Every malformed or out-of-turn request answers 4xx in the one error shape and changes
nothing: no row in any table, no event."""

import json

import httpx
import pytest

from service.api.app import create_app
from tests.api.helpers import FULL, ISSUES, PARTIES, assert_refused, bearer, make_table, snapshot

pytestmark = pytest.mark.anyio
GOOD = {"title": "t", "issues": ISSUES, "parties": PARTIES, "protocol": {"max_rounds": 2}}


def deep(n):
    return "[" * n + "]" * n


CREATE_CASES = [
    ({**GOOD, "title": ""}, 422),
    ({k: v for k, v in GOOD.items() if k != "title"}, 422),
    ({**GOOD, "issues": []}, 422),
    ({**GOOD, "issues": [{"key": "Bad Key", "kind": "boolean"}]}, 422),
    ({**GOOD, "issues": [{"key": "x", "kind": "float"}]}, 422),
    ({**GOOD, "issues": [{"key": "x", "kind": "options", "options": ["only"]}]}, 422),
    ({**GOOD, "issues": [{"key": "x", "kind": "integer", "min": 3, "max": 1}]}, 422),
    ({**GOOD, "issues": [ISSUES[0], ISSUES[0]]}, 422),
    ({**GOOD, "parties": PARTIES[:1]}, 422),
    ({**GOOD, "parties": [PARTIES[0], PARTIES[0]]}, 422),
    ({**GOOD, "parties": [{"key": "Kurds!", "name": "k"}, PARTIES[1]]}, 422),
    ({**GOOD, "protocol": {"max_rounds": 0}}, 422),
    ({**GOOD, "protocol": {"max_rounds": 2, "phase_seconds": -1}}, 422),
    ({**GOOD, "protocol": {"max_rounds": 2, "name": "alternating"}}, 422),
    ({**GOOD, "surprise": True}, 422),
    ([GOOD], 422),
]


@pytest.mark.parametrize(("body", "status"), CREATE_CASES)
async def test_bad_summits_are_refused_and_create_nothing(client, database, body, status):
    await make_table(client)
    await assert_refused(database, lambda: client.post("/summits", json=body), status)


@pytest.mark.parametrize("raw", ["{not json", "", deep(100_000), json.dumps(GOOD)[:-1]])
async def test_unparseable_bodies_are_refused(client, database, raw):
    await assert_refused(
        database,
        lambda: client.post("/summits", content=raw, headers={"content-type": "application/json"}),
        422,
    )


def move_cases(table, other_token, tabled, red_line):
    """(description, who, method, path, body, status)."""
    deep_tree = {"op": "eq", "issue": "joint_cell", "value": True}
    for _ in range(200):
        deep_tree = {"op": "not", "arg": deep_tree}
    return [
        (
            "syntax error",
            "kurds",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "joint_cell and"},
            422,
        ),
        (
            "unknown issue",
            "kurds",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "oil == true"},
            422,
        ),
        (
            "out of range",
            "kurds",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "us_withdrawal_months < 99"},
            422,
        ),
        (
            "deep text",
            "kurds",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "not " * 100 + "joint_cell"},
            422,
        ),
        (
            "deep tree",
            "kurds",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "constraint": deep_tree},
            422,
        ),
        ("no expression", "kurds", "POST", "/parties/kurds/red-lines", {"label": "x"}, 422),
        (
            "bad visibility",
            "kurds",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "joint_cell", "visibility": "secret"},
            422,
        ),
        (
            "long label",
            "kurds",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x" * 201, "expr": "joint_cell"},
            422,
        ),
        (
            "other party",
            "russia",
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "joint_cell"},
            403,
        ),
        (
            "anonymous",
            None,
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "joint_cell"},
            401,
        ),
        (
            "other summit",
            other_token,
            "POST",
            "/parties/kurds/red-lines",
            {"label": "x", "expr": "joint_cell"},
            403,
        ),
        (
            "bad preferences",
            "kurds",
            "PUT",
            "/parties/kurds/preferences",
            {"weights": {"joint_cell": 1}, "scores": {"joint_cell": {"yes": 1}}},
            422,
        ),
        ("empty package", "kurds", "POST", "/rounds/current/proposals", {"package": {}}, 422),
        (
            "unknown issue in package",
            "kurds",
            "POST",
            "/rounds/current/proposals",
            {"package": {"oil": 1}},
            422,
        ),
        (
            "wrong type",
            "kurds",
            "POST",
            "/rounds/current/proposals",
            {"package": {**FULL, "joint_cell": "yes"}},
            422,
        ),
        (
            "package not an object",
            "kurds",
            "POST",
            "/rounds/current/proposals",
            {"package": ["joint_cell"]},
            422,
        ),
        ("wrong round", "kurds", "POST", "/rounds/7/proposals", {"package": FULL}, 409),
        ("bad round", "kurds", "POST", "/rounds/first/proposals", {"package": FULL}, 422),
        (
            "own red line",
            "government",
            "POST",
            "/rounds/current/proposals",
            {"package": {**FULL, "assad_role": "exit_at_signing"}},
            409,
        ),
        (
            "respond too early",
            "kurds",
            "POST",
            "/rounds/current/responses",
            {"proposal": tabled, "verdict": "accept"},
            409,
        ),
        (
            "bad verdict",
            "kurds",
            "POST",
            "/rounds/current/responses",
            {"proposal": tabled, "verdict": "maybe"},
            422,
        ),
        (
            "second proposal",
            "government",
            "POST",
            "/rounds/current/proposals",
            {"package": FULL},
            409,
        ),
        (
            "unknown proposal",
            "kurds",
            "POST",
            "/rounds/current/responses",
            {"proposal": 999, "verdict": "accept"},
            404,
        ),
        ("advance by a party", "kurds", "POST", "/rounds/current/advance", None, 403),
        (
            "bad concession",
            "kurds",
            "POST",
            "/concessions",
            {"issue": "assad_role", "from": "full_powers", "to": "abdication"},
            422,
        ),
        (
            "concession missing field",
            "kurds",
            "POST",
            "/concessions",
            {"issue": "assad_role", "to": "full_powers"},
            422,
        ),
        ("bad check", None, "POST", "/check", {"package": {"assad_role": 3}}, 422),
        ("relax another's", "kurds", "POST", f"/red-lines/{red_line}/relax", {}, 403),
        ("relax missing", "kurds", "POST", "/red-lines/999/relax", {}, 404),
        ("start twice", "convener", "POST", "/start", None, 409),
        ("malformed token", "prl_zz", "POST", "/rounds/current/pass", None, 401),
        ("negative after", None, "GET", "/events?after=-1", None, 422),
        ("unknown party prefs", "convener", "GET", "/parties/turkey/preferences", None, 404),
    ]


async def test_bad_moves_are_refused_and_change_nothing(client, database):
    table = await make_table(client)
    other = await make_table(client)
    red_line = (await table.red_line("government", "assad_role != exit_at_signing"))["id"]
    await table.ok("POST", "/start", "convener")
    tabled = (await table.propose("government", FULL))["id"]
    for description, who, method, path, body, status in move_cases(
        table, other.convener, tabled, red_line
    ):
        if who is None:
            headers = {}
        elif who.startswith("prl_"):
            headers = bearer(who)
        else:
            headers = table.h(who)

        async def send(method=method, path=path, body=body, headers=headers):
            return await client.request(method, table.url(path), json=body, headers=headers)

        error = await assert_refused(database, send, status)
        assert (
            error["code"]
            == {
                401: "unauthorized",
                403: "forbidden",
                404: "not_found",
                409: "conflict",
                422: "invalid_input",
            }[status]
        ), description


async def test_a_failure_midway_rolls_back_everything_and_reveals_nothing(
    settings, database, monkeypatch
):
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        # As a real server does: the 500 goes to the client; the traceback only to the log.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley") as client:
            await fail_midway(client, database, monkeypatch)


async def fail_midway(client, database, monkeypatch):
    table = await make_table(client, start=True)
    before = snapshot(database)
    from service.services import moves

    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("disk on fire at /var/lib/secret")

    monkeypatch.setattr(moves, "append_event", broken)
    response = await table.post("/rounds/current/proposals", "kurds", {"package": FULL})
    assert calls
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    assert "disk" not in response.text
    assert "secret" not in response.text
    assert snapshot(database) == before
