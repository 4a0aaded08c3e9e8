"""A red line's relaxation rule travels with it, and the server enforces it."""

import pytest

from tests.api.helpers import make_table

pytestmark = pytest.mark.anyio


async def declare(table, party, label, relax, visibility="private"):
    body = {"label": label, "expr": "joint_cell", "visibility": visibility}
    if relax is not None:
        body["relax"] = relax
    return await table.ok("POST", f"/parties/{party}/red-lines", party, body)


async def next_round(table):
    # Nothing tabled: closing the proposals phase closes the round and opens the next.
    await table.ok("POST", "/rounds/current/advance", "convener")
    assert (await table.summit())["round"]["number"] == 2


async def test_a_red_line_relaxable_from_round_two_is_refused_before_it(client):
    table = await make_table(client)
    red_line = await declare(table, "kurds", "Cell first", {"after_round": 2})
    assert red_line["relax"] == {"after_round": 2}
    path = f"/red-lines/{red_line['id']}/relax"
    early = await table.post(path, "kurds", {})
    assert early.status_code == 409
    assert "from round 2 on; the summit has not started" in early.json()["error"]["message"]
    await table.ok("POST", "/start", "convener")
    in_round_one = await table.post(path, "kurds", {})
    assert in_round_one.status_code == 409
    error = in_round_one.json()["error"]
    assert "from round 2 on; the summit is in round 1" in error["message"]
    assert error["details"] == {"red_line": red_line["id"], "relax": {"after_round": 2}, "round": 1}
    assert (await table.get("/red-lines", "kurds")).json()[0]["status"] == "active"
    await next_round(table)
    relaxed = await table.ok("POST", path, "kurds", {"note": "now"})
    assert relaxed["status"] == "relaxed"
    ledger = await table.ok("GET", "/concessions", None)
    entries = ledger if isinstance(ledger, list) else ledger["items"]
    assert [(e["kind"], e["round"]) for e in entries] == [("red_line", 2)]


async def test_a_red_line_declared_not_relaxable_never_is(client):
    table = await make_table(client, start=True)
    red_line = await declare(table, "kurds", "Never", "never")
    assert red_line["relax"] == "never"
    refused = await table.post(f"/red-lines/{red_line['id']}/relax", "kurds", {})
    assert refused.status_code == 409
    assert "declared not relaxable" in refused.json()["error"]["message"]
    events = (await table.get("/events", "convener")).json()
    events = events if isinstance(events, list) else events["items"]
    assert "red_line.relaxed" not in [e["type"] for e in events]


async def test_without_a_rule_a_red_line_may_be_relaxed_any_time(client):
    table = await make_table(client)
    red_line = await declare(table, "kurds", "Any time", None)
    assert "relax" not in red_line
    assert (await table.post(f"/red-lines/{red_line['id']}/relax", "kurds", {})).status_code == 200


async def test_a_private_red_line_hides_its_rule_from_others(client):
    table = await make_table(client)
    await declare(table, "kurds", "Secret", {"after_round": 3})
    mine = (await table.get("/red-lines", "kurds")).json()[0]
    theirs = (await table.get("/red-lines", "government")).json()[0]
    assert mine["relax"] == {"after_round": 3}
    assert "relax" not in theirs


async def test_a_bad_rule_is_a_422_that_says_what_is_allowed(client):
    table = await make_table(client)
    for rule in ({"after_round": 0}, "sometimes", {"round": 2}):
        body = {"label": "x", "expr": "joint_cell", "relax": rule}
        response = await table.post("/parties/kurds/red-lines", "kurds", body)
        assert response.status_code == 422, rule
        assert response.json()["error"]["details"]["errors"]


async def test_when_two_packages_are_accepted_by_all_the_record_says_which_and_by_what_rule(
    client,
):
    from tests.api.helpers import FULL

    table = await make_table(client, start=True)
    parties = list(table.tokens)
    first = await table.propose(parties[-1], FULL)
    other = dict(FULL, us_withdrawal_months=40)
    second = await table.propose(parties[0], other)
    for party in parties[1:-1]:
        await table.ok("POST", "/rounds/current/pass", party)
    for party in parties:
        for proposal in (first, second):
            if proposal["party"] != party:
                await table.respond(party, proposal["id"], "accept")
    summit = await table.summit()
    assert summit["settlement_proposal"] == second["id"]  # seated first, though tabled later
    events = (await table.get("/events", None)).json()
    events = events if isinstance(events, list) else events["items"]
    concluded = next(e for e in events if e["type"] == "summit.concluded")
    assert concluded["data"]["accepted_by_all"] == [second["id"], first["id"]]
    assert "seated first" in concluded["data"]["rule"]
