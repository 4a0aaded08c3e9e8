"""PATCH /summits/{id}/protocol: the convener sets the phase deadlines of a running summit."""

import asyncio
import time
from datetime import UTC, datetime

import pytest

from tests.api.helpers import FULL, assert_refused, make_table, two_workers

pytestmark = pytest.mark.anyio


def _seconds_until(iso: str) -> float:
    return (datetime.fromisoformat(iso.replace("Z", "+00:00")) - datetime.now(UTC)).total_seconds()


async def test_the_convener_moves_the_current_deadline_and_the_record_shows_it(client):
    table = await make_table(client, start=True)
    assert (await table.summit())["round"]["deadline"] is None
    answer = await table.ok("PATCH", "/protocol", "convener", {"deadline_in_seconds": 600})
    assert 590 < _seconds_until(answer["round"]["deadline"]) <= 600
    assert answer["protocol"]["phase_seconds"] is None  # each phase's length is left as it was
    seen = await table.summit()  # anyone sees the new deadline
    assert seen["round"]["deadline"] == answer["round"]["deadline"]
    event = (await table.ok("GET", "/events", None))[-1]
    assert event["type"] == "protocol.changed"
    assert event["actor"] == "convener"
    assert event["data"] == {
        "changed": ["deadline_in_seconds"],
        "phase_seconds": None,
        "round": 1,
        "phase": "proposals",
        "deadline": answer["round"]["deadline"],
    }
    verified = await table.ok("GET", "/history/verify", "convener")
    assert verified["valid"] is True
    assert verified["events"] == event["seq"]
    # null clears it.
    cleared = await table.ok("PATCH", "/protocol", "convener", {"deadline_in_seconds": None})
    assert cleared["round"]["deadline"] is None


async def test_a_new_phase_length_applies_from_the_next_phase_on(client):
    table = await make_table(client, start=True)
    answer = await table.ok("PATCH", "/protocol", "convener", {"phase_seconds": 900})
    assert answer["protocol"]["phase_seconds"] == 900
    assert answer["round"]["deadline"] is None  # the running phase keeps its own
    await table.propose("government", FULL)
    await table.ok("POST", "/rounds/current/pass", "kurds")
    await table.ok("POST", "/rounds/current/pass", "russia")
    summit = await table.summit()
    assert summit["round"]["phase"] == "responses"
    assert 890 < _seconds_until(summit["round"]["deadline"]) <= 900


async def test_a_phase_length_may_be_set_in_setup_and_applies_when_the_summit_starts(client):
    table = await make_table(client)
    await table.ok("PATCH", "/protocol", "convener", {"phase_seconds": 120})
    started = await table.ok("POST", "/start", "convener")
    assert 110 < _seconds_until(started["round"]["deadline"]) <= 120


async def test_a_shortened_deadline_is_enforced_by_the_server(client):
    table = await make_table(client, start=True, protocol={"max_rounds": 3, "phase_seconds": 3600})
    await table.ok("PATCH", "/protocol", "convener", {"deadline_in_seconds": 0.3})
    for _ in range(50):
        # The closed round's successor opens in its proposals phase again: wait for round 2.
        if (await table.summit())["round"]["number"] != 1:
            break
        await asyncio.sleep(0.1)
    summit = await table.summit()
    # Nobody tabled a full package: the round closed on the deadline and round 2 opened,
    # with the protocol's hour again.
    assert summit["round"]["number"] == 2
    assert 3500 < _seconds_until(summit["round"]["deadline"]) <= 3600
    closed = [e for e in await table.ok("GET", "/events", None) if e["type"] == "round.closed"]
    assert closed[0]["data"]["reason"] == "no_full_proposals"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"deadline_in_seconds": 0}, "deadline_in_seconds"),
        ({"deadline_in_seconds": -5}, "deadline_in_seconds"),
        ({"phase_seconds": "soon"}, "phase_seconds"),
        ({"phase_seconds": 10**9}, "phase_seconds"),
        ({"phase_seconds": True}, "phase_seconds"),
        ({"deadline": 60}, "deadline"),
        ({}, None),
    ],
)
async def test_bad_values_are_refused_and_change_nothing(client, database, body, field):
    table = await make_table(client, start=True)
    error = await assert_refused(database, lambda: table.patch("/protocol", "convener", body), 422)
    locations = [item["loc"] for item in error["details"]["errors"]]
    if field is None:
        assert error["details"]["errors"][0]["allowed"] == ["phase_seconds", "deadline_in_seconds"]
    else:
        assert ["body", field] in locations


async def test_only_the_convener_of_that_summit_sets_the_deadlines(client, database):
    table = await make_table(client, start=True)
    other = await make_table(client, start=True)
    body = {"deadline_in_seconds": 60}
    for who, status in ((None, 401), ("kurds", 403)):
        await assert_refused(database, lambda who=who: table.patch("/protocol", who, body), status)
    send = lambda: client.patch(table.url("/protocol"), json=body, headers=other.h("convener"))  # noqa: E731
    await assert_refused(database, send, 403)


async def test_no_current_deadline_in_setup_and_no_change_once_concluded(client, database):
    table = await make_table(client)
    error = await assert_refused(
        database, lambda: table.patch("/protocol", "convener", {"deadline_in_seconds": 60}), 409
    )
    assert "no phase is running" in error["message"]
    await table.ok("POST", "/abort", "convener", {"reason": "done"})
    error = await assert_refused(
        database, lambda: table.patch("/protocol", "convener", {"phase_seconds": 60}), 409
    )
    assert "concluded" in error["message"]


async def test_another_worker_sees_the_new_deadline_and_its_waiters_wake(settings):
    async with two_workers(settings) as (first, second):
        table = await make_table(first, start=True)
        head = (await table.summit())["events"]
        waiting = asyncio.create_task(
            first.get(table.url("/events"), params={"after": head, "wait": 20})
        )
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        response = await second.patch(
            table.url("/protocol"), json={"deadline_in_seconds": 1}, headers=table.h("convener")
        )
        assert response.status_code == 200, response.text
        events = (await asyncio.wait_for(waiting, 10)).json()
        assert events[0]["type"] == "protocol.changed"
        assert time.perf_counter() - started < 3
        seen = (await first.get(table.url())).json()
        assert seen["round"]["deadline"] == response.json()["round"]["deadline"]
        # Whichever worker's keeper gets there first closes the phase at the new deadline.
        for _ in range(60):
            if (await first.get(table.url())).json()["round"]["number"] == 2:
                break
            await asyncio.sleep(0.1)
        assert (await first.get(table.url())).json()["round"]["number"] == 2
