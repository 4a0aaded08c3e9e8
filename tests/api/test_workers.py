"""Two workers on one database: a long poll on one wakes when the other appends an event
(PostgreSQL: LISTEN/NOTIFY; SQLite: the head watcher), and either may advance a deadline."""

import asyncio
import time

import pytest

from tests.api.helpers import make_table, two_workers

pytestmark = pytest.mark.anyio


async def test_a_long_poll_on_one_worker_wakes_when_another_worker_appends(settings):
    async with two_workers(settings) as (first, second):
        table = await make_table(first)
        head = (await table.summit())["events"]
        started = time.perf_counter()
        waiting = asyncio.create_task(
            first.get(table.url("/events"), params={"after": head, "wait": 20})
        )
        await asyncio.sleep(0.2)
        response = await second.post(table.url("/start"), headers=table.h("convener"))
        assert response.status_code == 200
        events = (await asyncio.wait_for(waiting, 10)).json()
        assert events[0]["type"] == "summit.started"
        assert time.perf_counter() - started < 3


async def test_an_event_stream_on_one_worker_wakes_when_another_worker_appends(settings):
    async with two_workers(settings) as (first, second):
        table = await make_table(first)
        head = (await table.summit())["events"]
        started = time.perf_counter()
        # The stream ends once the summit has concluded: its whole body is the answer here.
        streaming = asyncio.create_task(
            first.get(table.url("/stream"), headers={"Last-Event-ID": str(head)}, timeout=20)
        )
        await asyncio.sleep(0.2)
        response = await second.post(table.url("/abort"), headers=table.h("convener"))
        assert response.status_code == 200
        body = (await asyncio.wait_for(streaming, 10)).text
        assert f"id: {head + 1}\n" in body
        assert '"type":"summit.concluded"' in body
        assert body.rstrip().endswith("event: end\ndata:")
        assert time.perf_counter() - started < 3
