"""A write that cannot get the database's write lock in bounded time answers 503 with
Retry-After and changes nothing; reads keep being answered while the lock is held elsewhere,
and the event loop keeps serving while a write waits (database work runs in threads)."""

import asyncio
import time

import httpx
import pytest
from sqlalchemy import func, select

from service.api.app import create_app
from service.db.repositories.events import EVENT
from service.db.repositories.summits import SUMMIT
from tests.api.helpers import FULL, make_table

pytestmark = pytest.mark.anyio

LOCK_SECONDS = 1.0


@pytest.fixture
def settings(database_url):
    from service.settings import Settings

    return Settings(
        database_url=database_url, deadline_poll_seconds=0.5, write_lock_seconds=LOCK_SECONDS
    )


def hold_write_lock(database, summit_id):
    """Another writer's transaction: SQLite's write lock, or the summit's row lock on PG."""
    transaction = database.transaction(write=True)
    tx = transaction.__enter__()
    tx.execute(select(SUMMIT.c.id).where(SUMMIT.c.id == summit_id).with_for_update())
    return transaction


def events_of(database, summit_id):
    with database.transaction(write=False) as tx:
        query = select(func.count()).select_from(EVENT).where(EVENT.c.summit_id == summit_id)
        return tx.execute(query).scalar()


async def test_a_write_that_cannot_get_the_lock_answers_503_and_changes_nothing(client, database):
    table = await make_table(client, start=True)
    before = events_of(database, table.id)
    lock = hold_write_lock(database, table.id)
    try:
        started = time.perf_counter()
        response = await table.post(
            "/rounds/current/proposals", "government", {"package": FULL, "rationale": ""}
        )
        waited = time.perf_counter() - started
    finally:
        lock.__exit__(None, None, None)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    error = response.json()["error"]
    assert error["code"] == "busy"
    assert error["details"] == {"waited_seconds": LOCK_SECONDS}
    assert LOCK_SECONDS * 0.8 <= waited < LOCK_SECONDS + 5
    assert events_of(database, table.id) == before
    assert (await table.get("/rounds/current")).json()["proposals"] == []
    # Once the lock is free, the same write goes through.
    again = await table.post(
        "/rounds/current/proposals", "government", {"package": FULL, "rationale": ""}
    )
    assert again.status_code == 201, again.text


async def test_reads_are_answered_while_another_writer_holds_the_lock(client, database):
    table = await make_table(client, start=True)
    lock = hold_write_lock(database, table.id)
    try:
        summit = await table.get()
        check = await table.post("/check", "kurds", {"package": FULL})
        events = await table.get("/events")
    finally:
        lock.__exit__(None, None, None)
    assert summit.status_code == 200
    assert summit.json()["status"] == "open"
    assert check.status_code == 200
    assert check.json()["verdict"] == "clear"
    assert [e["type"] for e in events.json()][-1] == "round.opened"


async def test_the_event_loop_serves_reads_while_a_write_waits_for_the_lock(client, database):
    table = await make_table(client, start=True)
    lock = hold_write_lock(database, table.id)
    try:
        waiting = asyncio.create_task(
            table.post("/rounds/current/proposals", "kurds", {"package": FULL, "rationale": ""})
        )
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        read = await table.get()
        read_took = time.perf_counter() - started
        assert not waiting.done()
    finally:
        lock.__exit__(None, None, None)
    assert read.status_code == 200
    assert read_took < LOCK_SECONDS / 2
    assert (await waiting).status_code in {201, 503}


async def test_the_lock_wait_is_a_setting(database_url, database):
    from service.settings import Settings

    # Set against the default of 5 s, so the bound below has slack for a loaded machine.
    app = create_app(Settings(database_url=database_url, write_lock_seconds=0.2))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as http,
    ):
        table = await make_table(http, start=True)
        lock = hold_write_lock(database, table.id)
        try:
            started = time.perf_counter()
            response = await table.post("/rounds/current/pass", "kurds")
            waited = time.perf_counter() - started
        finally:
            lock.__exit__(None, None, None)
    assert response.status_code == 503
    assert response.json()["error"]["details"] == {"waited_seconds": 0.2}
    assert 0.16 <= waited < 2.5


async def test_reads_are_answered_while_many_writes_wait_for_the_lock(client, database):
    table = await make_table(client, start=True)
    lock = hold_write_lock(database, table.id)
    try:
        writes = [
            asyncio.create_task(table.post("/rounds/current/pass", party))
            for party in ("government", "kurds", "russia") * 3
        ]
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        reads = await asyncio.gather(*(table.get() for _ in range(5)))
        read_took = time.perf_counter() - started
        assert not any(write.done() for write in writes)
    finally:
        lock.__exit__(None, None, None)
    assert {read.status_code for read in reads} == {200}
    assert read_took < LOCK_SECONDS / 2
    statuses = [(await write).status_code for write in writes]
    assert set(statuses) <= {201, 409, 503}
