"""Concurrent writers on one summit: every request commits whole, the event chain stays
gapless and verifiable."""

import asyncio
import threading
import time

import pytest

from tests.api.helpers import make_table

pytestmark = pytest.mark.anyio


def count_overlap(app):
    """Count how many database jobs run at the same moment, in the database's threads."""
    db, lock = app.state.db, threading.Lock()
    seen = {"now": 0, "most": 0}
    run = db.run

    async def counted(work, **kwargs):
        def job():
            with lock:
                seen["now"] += 1
                seen["most"] = max(seen["most"], seen["now"])
            try:
                time.sleep(0.002)  # long enough for another job to start beside this one
                return work()
            finally:
                with lock:
                    seen["now"] -= 1

        return await run(job, **kwargs)

    db.run = counted
    return seen


async def test_concurrent_writes_keep_the_chain_gapless(app, client):
    table = await make_table(client)
    overlap = count_overlap(app)
    await table.ok("POST", "/start", "convener")
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
    assert overlap["most"] > 1  # the requests truly ran at once, on every backend
    events = await table.ok("GET", "/events", None)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert sum(e["type"] == "concession.recorded" for e in events) == 45
    verified = await table.ok("GET", "/history/verify", "convener")
    assert verified["valid"] is True
