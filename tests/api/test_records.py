import asyncio
import csv
import io
import time

import pytest
from sqlalchemy import update

from service.db.repositories.events import EVENT
from tests.api.helpers import FULL, make_table

pytestmark = pytest.mark.anyio
TWO = [{"key": "government", "name": "G"}, {"key": "kurds", "name": "K"}]
PREFS = {
    "weights": {"assad_role": 3, "us_withdrawal_months": 1},
    "scores": {
        "assad_role": {
            "full_powers": 1,
            "reduced_powers": 0.6,
            "transition_then_exit": 0.2,
            "exit_at_signing": 0,
        },
        "us_withdrawal_months": [[0, 1], [60, 0]],
    },
    "reservation": 0.3,
}


async def play_two_rounds(table):
    await table.ok("PUT", "/parties/government/preferences", "government", PREFS)
    await table.ok("POST", "/start", "convener")
    first = await table.propose("government", {**FULL, "assad_role": "full_powers"})
    await table.ok("POST", "/rounds/1/pass", "kurds")
    await table.respond("kurds", first["id"], "reject")
    second = await table.propose(
        "government", {**FULL, "assad_role": "transition_then_exit"}, "a real concession"
    )
    await table.ok("POST", "/rounds/2/pass", "kurds")
    await table.respond("kurds", second["id"], "accept")
    return first, second


async def test_events_count_from_one_without_gaps_and_the_chain_verifies(client):
    table = await make_table(client, parties=TWO)
    await play_two_rounds(table)
    events = await table.ok("GET", "/events", None)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "summit.created"
    assert events[-1]["type"] == "summit.concluded"
    after = await table.ok("GET", "/events?after=5&limit=3", None)
    assert [e["seq"] for e in after] == [6, 7, 8]
    verified = await table.ok("GET", "/history/verify", "convener")
    assert verified == {
        "valid": True,
        "events": len(events),
        "first_bad_seq": None,
        "head": events[-1]["hash"],
    }
    assert (await table.get("/history/verify", "kurds")).status_code == 403


async def test_verification_finds_the_first_tampered_event(client, database):
    table = await make_table(client, parties=TWO)
    await play_two_rounds(table)
    with database.transaction(write=True) as tx:
        tx.execute(
            update(EVENT)
            .where(EVENT.c.summit_id == table.id, EVENT.c.seq == 7)
            .values(actor="party:kurds")
        )
    verified = await table.ok("GET", "/history/verify", "convener")
    assert (verified["valid"], verified["first_bad_seq"]) == (False, 7)


async def test_a_long_poll_wakes_at_once_when_an_event_is_appended(client):
    table = await make_table(client, parties=TWO)
    head = (await table.summit())["events"]
    started = time.perf_counter()
    waiting = asyncio.create_task(table.get("/events", None, after=head, wait=20))
    await asyncio.sleep(0.3)
    assert not waiting.done()
    await table.ok("POST", "/start", "convener")
    response = await asyncio.wait_for(waiting, 5)
    elapsed = time.perf_counter() - started
    assert [e["type"] for e in response.json()][:1] == ["summit.started"]
    assert elapsed < 3


async def test_a_long_poll_times_out_empty_and_rejects_overlong_waits(client):
    table = await make_table(client, parties=TWO)
    head = (await table.summit())["events"]
    started = time.perf_counter()
    assert (await table.ok("GET", f"/events?after={head}&wait=0.3", None)) == []
    assert time.perf_counter() - started >= 0.3
    assert (await table.get("/events", None, wait=601)).status_code == 422


async def test_a_long_poll_on_a_concluded_summit_answers_at_once(client):
    table = await make_table(client, parties=TWO)
    await play_two_rounds(table)
    head = (await table.summit())["events"]
    started = time.perf_counter()
    assert (await table.ok("GET", f"/events?after={head}&wait=10", None)) == []
    assert time.perf_counter() - started < 2


async def test_derived_concessions_carry_the_utility_change_only_for_the_owner_and_convener(client):
    table = await make_table(client, parties=TWO)
    _first, second = await play_two_rounds(table)
    for who in ("government", "convener"):
        ledger = (await table.ok("GET", "/history", who))["ledger"]["government"]
        assert ledger["count"] == 1
        entry = ledger["concessions"][0]
        assert (entry["kind"], entry["issue"], entry["from"], entry["to"], entry["round"]) == (
            "derived",
            "assad_role",
            "full_powers",
            "transition_then_exit",
            2,
        )
        assert entry["utility_change"] == pytest.approx(-0.75 * 0.8)
        assert entry["proposal"] == second["id"]
    for who in ("kurds", None):
        entry = (await table.ok("GET", "/history", who))["ledger"]["government"]["concessions"][0]
        assert "utility_change" not in entry
        assert entry["to"] == "transition_then_exit"
    round_two = await table.ok("GET", "/rounds/2", None)
    assert [c["issue"] for c in round_two["concessions"]] == ["assad_role"]


async def test_explicit_concessions_are_validated_and_ledgered(client):
    table = await make_table(client, parties=TWO)
    await table.ok("PUT", "/parties/government/preferences", "government", PREFS)
    made = await table.ok(
        "POST",
        "/concessions",
        "government",
        {"issue": "us_withdrawal_months", "from": 0, "to": 24, "note": "the US may stay two years"},
    )
    assert made["utility_change"] == pytest.approx(-0.25 * 0.4)
    assert made["round"] is None
    for bad in (
        {"issue": "oil", "from": 1, "to": 2},
        {"issue": "us_withdrawal_months", "from": 0, "to": 99},
        {"issue": "joint_cell", "from": True, "to": True},
    ):
        response = await table.post("/concessions", "government", bad)
        assert response.status_code == 422, bad
    assert (
        await table.post(
            "/concessions", "convener", {"issue": "joint_cell", "from": True, "to": False}
        )
    ).status_code == 403
    listed = await table.ok("GET", "/concessions", "kurds")
    assert [(c["kind"], c["note"]) for c in listed] == [("explicit", "the US may stay two years")]
    assert "utility_change" not in listed[0]


async def test_history_in_json_csv_and_markdown(client):
    table = await make_table(client, parties=TWO)
    _first, second = await play_two_rounds(table)
    document = await table.ok("GET", "/history", None)
    assert [r["number"] for r in document["rounds"]] == [1, 2]
    assert document["rounds"][1]["settled_by"] == second["id"]
    assert document["record"]["events"] == (await table.summit())["events"]
    rows = list(csv.DictReader(io.StringIO((await table.get("/history", None, format="csv")).text)))
    kinds = [row["kind"] for row in rows]
    assert kinds == [
        "proposal",
        "pass",
        "response",
        "proposal",
        "pass",
        "response",
        "concession:derived",
        "outcome",
    ]
    assert rows[-1]["verdict"] == "agreement"
    markdown = await table.get("/history", None, format="markdown")
    assert markdown.headers["content-type"].startswith("text/markdown")
    text = markdown.text
    assert text.startswith("# Test summit")
    assert "**Settled by proposal" in text
    assert "government moved assad_role from full_powers to transition_then_exit" in text
    assert (await table.get("/history", None, format="pdf")).status_code == 422
