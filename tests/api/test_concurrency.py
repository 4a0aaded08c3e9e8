"""Concurrent writers on one summit: every request commits whole, the event chain stays
gapless and verifiable."""

import asyncio
import threading

import pytest

from tests.api.helpers import make_table

pytestmark = pytest.mark.anyio


AT_ONCE = 3  # at most the database's write threads (4 on SQLite, the pool size on PostgreSQL)


def meet_at_once(app, parties: int = AT_ONCE) -> dict[str, bool]:
    """Hold the first ``parties`` write jobs of requests at a barrier before they touch the
    database: it opens only when that many are in the database's threads at the same moment,
    so ``met`` proves the requests truly ran at once (then they contend for the write lock)."""
    db, lock = app.state.db, threading.Lock()
    barrier = threading.Barrier(parties)
    state = {"held": 0, "met": False}
    run = db.run

    async def held(work, *, write=True, short=False):
        if not write or getattr(work, "__name__", "") != "job":  # the deadline keeper's own
            return await run(work, write=write, short=short)

        def job():
            with lock:
                waits = state["held"] < parties
                state["held"] += 1
            if waits:
                try:
                    barrier.wait(timeout=10)
                    state["met"] = True
                except threading.BrokenBarrierError:
                    pass  # fewer arrived together: ``met`` stays false and the test fails
            return work()

        return await run(job, write=write)

    db.run = held
    return state


async def test_concurrent_writes_keep_the_chain_gapless(app, client):
    table = await make_table(client)
    await table.ok("POST", "/start", "convener")
    at_once = meet_at_once(app)
    moves = [
        table.post(
            "/concessions",
            party,
            {"issue": "us_withdrawal_months", "from": 0, "to": n + 1, "note": f"{party} {n}"},
        )
        for n in range(15)
        for party in ("government", "kurds", "russia")
    ]
    moves += [table.post("/check", None, {"package": {"joint_cell": True}}) for _ in range(15)]
    answers = await asyncio.gather(*moves)
    assert {a.status_code for a in answers} == {200, 201}
    assert at_once["met"]  # the requests truly ran at once, on every backend
    events = await table.ok("GET", "/events", None)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert sum(e["type"] == "concession.recorded" for e in events) == 45
    verified = await table.ok("GET", "/history/verify", "convener")
    assert verified["valid"] is True
