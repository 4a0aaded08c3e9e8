import asyncio

import pytest

from tests.api.helpers import FULL, make_table

pytestmark = pytest.mark.anyio
TWO = [{"key": "government", "name": "G"}, {"key": "kurds", "name": "K"}]


async def test_proposals_are_sealed_from_others_until_the_phase_closes(client):
    table = await make_table(client, start=True)
    mine = await table.propose("government", FULL, "stability first")
    assert mine["package"] == FULL
    assert mine["check"]["verdict"] == "clear"
    for who in ("kurds", None):
        seen = (await table.ok("GET", "/rounds/1", who))["proposals"]
        assert seen == [{"id": mine["id"], "round": 1, "party": "government", "sealed": True}]
        events = await table.ok("GET", "/events", who)
        tabled = next(e for e in events if e["type"] == "proposal.tabled")
        assert "package" not in tabled["data"]["proposal"]
    assert (await table.ok("GET", "/rounds/1", "government"))["proposals"][0]["package"] == FULL
    assert (await table.ok("GET", "/rounds/1", "convener"))["proposals"][0][
        "rationale"
    ] == "stability first"
    await table.ok("POST", "/rounds/1/pass", "kurds")
    await table.ok("POST", "/rounds/1/pass", "russia")
    revealed = (await table.ok("GET", "/rounds/1", None))["proposals"][0]
    assert revealed["package"] == FULL
    assert revealed["rationale"] == "stability first"


async def test_each_party_acts_once_per_phase_and_out_of_turn_moves_say_what_is_awaited(client):
    table = await make_table(client, start=True)
    await table.propose("government", FULL)
    second = await table.post("/rounds/current/proposals", "government", {"package": FULL})
    assert second.status_code == 409
    message = second.json()["error"]["message"]
    assert "already tabled" in message
    assert "waiting for kurds, russia" in message
    assert second.json()["error"]["details"] == {
        "round": 1,
        "phase": "proposals",
        "waiting_for": ["kurds", "russia"],
    }
    assert (await table.post("/rounds/2/proposals", "kurds", {"package": FULL})).status_code == 409
    early = await table.post("/rounds/1/responses", "kurds", {"proposal": 1, "verdict": "accept"})
    assert early.status_code == 409
    assert "responses open once the proposals phase closes" in early.json()["error"]["message"]
    assert (await table.post("/rounds/1/pass", None)).status_code == 401
    assert (await table.post("/rounds/1/pass", "convener")).status_code == 409


async def test_a_party_may_not_propose_or_accept_what_breaks_its_own_red_line(client):
    table = await make_table(client, parties=TWO)
    own = await table.red_line("kurds", "us_withdrawal_months >= 24", label="US stays")
    await table.ok("POST", "/start", "convener")
    bad = {**FULL, "us_withdrawal_months": 6}
    refused = await table.post("/rounds/current/proposals", "kurds", {"package": bad})
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["red_lines"][0]["id"] == own["id"]
    assert "relax" in refused.json()["error"]["message"]
    tabled = await table.propose("government", bad)
    assert tabled["check"]["verdict"] == "violations"
    await table.propose("kurds", FULL)
    accepting = await table.post(
        "/rounds/1/responses", "kurds", {"proposal": tabled["id"], "verdict": "accept"}
    )
    assert accepting.status_code == 409
    assert "relax them first" in accepting.json()["error"]["message"]
    await table.respond("kurds", tabled["id"], "reject")


async def test_unanimous_acceptance_of_a_clear_full_package_settles_the_summit(client):
    table = await make_table(client, start=True)
    proposal = await table.propose("kurds", FULL, "a fair deal")
    await table.ok("POST", "/rounds/1/pass", "government")
    await table.ok("POST", "/rounds/1/pass", "russia")
    own = await table.post(
        "/rounds/1/responses", "kurds", {"proposal": proposal["id"], "verdict": "accept"}
    )
    assert own.status_code == 409
    assert "your own" in own.json()["error"]["message"]
    await table.respond("government", proposal["id"], "accept")
    assert (await table.summit())["status"] == "open"
    await table.respond("russia", proposal["id"], "accept", "good enough")
    summit = await table.summit()
    assert (summit["status"], summit["outcome"]) == ("concluded", "agreement")
    assert summit["settlement"] == FULL
    assert summit["settlement_proposal"] == proposal["id"]
    last = await table.ok("GET", "/rounds/1", None)
    assert last["settled_by"] == proposal["id"]
    assert last["phase"] == "closed"


async def test_no_agreement_after_max_rounds(client):
    table = await make_table(client, parties=TWO, protocol={"max_rounds": 2}, start=True)
    for round_number in (1, 2):
        p = await table.propose("government", FULL)
        await table.ok("POST", f"/rounds/{round_number}/pass", "kurds")
        await table.respond("kurds", p["id"], "reject", "not yet")
    summit = await table.summit()
    assert (summit["status"], summit["outcome"], summit["rounds_played"]) == (
        "concluded",
        "no_agreement",
        2,
    )
    assert summit["settlement"] is None


async def test_a_round_of_passes_and_partial_proposals_moves_straight_to_the_next(client):
    table = await make_table(client, parties=TWO, start=True)
    partial = await table.propose("government", {"assad_role": "full_powers"})
    assert partial["complete"] is False
    assert partial["check"]["complete"] is False
    await table.ok("POST", "/rounds/1/pass", "kurds")
    summit = await table.summit()
    assert summit["round"]["number"] == 2
    assert summit["round"]["phase"] == "proposals"
    closed = await table.ok("GET", "/rounds/1", None)
    assert closed["phase"] == "closed"
    assert closed["responses"] == []


async def test_a_mediator_text_needs_every_party_to_accept(client):
    table = await make_table(client, parties=TWO, start=True)
    text = await table.propose("convener", FULL, "single negotiating text")
    assert text["party"] is None
    assert (
        await table.post("/rounds/1/proposals", "convener", {"package": FULL})
    ).status_code == 409
    await table.ok("POST", "/rounds/1/pass", "government")
    await table.ok("POST", "/rounds/1/pass", "kurds")
    await table.respond("government", text["id"], "accept")
    assert (await table.summit())["status"] == "open"
    await table.respond("kurds", text["id"], "accept")
    assert (await table.summit())["outcome"] == "agreement"


async def test_a_mediated_protocol_waits_for_the_convener(client):
    table = await make_table(
        client, parties=TWO, protocol={"max_rounds": 2, "mediated": True}, start=True
    )
    await table.ok("POST", "/rounds/1/pass", "government")
    await table.ok("POST", "/rounds/1/pass", "kurds")
    summit = await table.summit()
    assert summit["round"]["phase"] == "proposals"
    assert summit["round"]["waiting_for"] == ["convener"]
    await table.ok("POST", "/rounds/1/pass", "convener")
    assert (await table.summit())["round"]["number"] == 2


async def test_the_convener_advances_a_phase_and_silence_counts_as_rejection(client):
    table = await make_table(client, parties=TWO, start=True)
    p = await table.propose("government", FULL)
    assert (await table.post("/rounds/1/advance", "kurds")).status_code == 403
    moved = await table.ok("POST", "/rounds/1/advance", "convener")
    assert moved["closed"] == {"round": 1, "phase": "proposals"}
    assert moved["round"] == {"number": 1, "phase": "responses"}
    moved = await table.ok("POST", "/rounds/current/advance", "convener")
    assert moved["round"] == {"number": 2, "phase": "proposals"}
    responses = (await table.ok("GET", "/rounds/1", None))["responses"]
    assert [(r["proposal"], r["party"], r["verdict"], r["defaulted"]) for r in responses] == [
        (p["id"], "kurds", "reject", True)
    ]


async def test_phase_deadlines_advance_the_summit_even_when_nobody_calls(client):
    table = await make_table(
        client, parties=TWO, protocol={"max_rounds": 2, "phase_seconds": 0.3}, start=True
    )
    p = await table.propose("government", FULL)
    opened = await table.summit()
    assert opened["round"]["deadline"] is not None
    for _ in range(100):
        await asyncio.sleep(0.05)
        summit = await table.summit()
        if summit["status"] == "concluded":
            break
    assert (summit["status"], summit["outcome"], summit["rounds_played"]) == (
        "concluded",
        "no_agreement",
        2,
    )
    types = [e["type"] for e in await table.ok("GET", "/events", None)]
    assert types.count("round.opened") == 2
    changes = [e for e in await table.ok("GET", "/events", None) if e["type"] == "phase.changed"]
    assert changes[0]["data"]["reason"] == "deadline"
    defaulted = [
        r for r in (await table.ok("GET", "/rounds/1", None))["responses"] if r["defaulted"]
    ]
    assert [(r["proposal"], r["party"]) for r in defaulted] == [(p["id"], "kurds")]


async def test_a_move_after_a_missed_deadline_is_refused(client):
    table = await make_table(
        client, parties=TWO, protocol={"max_rounds": 3, "phase_seconds": 0.2}, start=True
    )
    await asyncio.sleep(0.25)
    late = await table.post("/rounds/1/proposals", "government", {"package": FULL})
    assert late.status_code == 409
    assert "round 1 is not the current round" in late.json()["error"]["message"]


async def test_round_references_are_checked(client):
    table = await make_table(client, parties=TWO, start=True)
    assert (await table.get("/rounds/0")).status_code == 422
    assert (await table.get("/rounds/abc")).status_code == 422
    assert (await table.get("/rounds/5")).status_code == 404
    assert (await table.get("/rounds/current")).json()["number"] == 1
    fresh = await make_table(client)
    assert (await fresh.get("/rounds/current")).status_code == 404
