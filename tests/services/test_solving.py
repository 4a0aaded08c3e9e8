"""The solver pool: shared searches, remembered answers, and callers that go away."""

from __future__ import annotations

import asyncio
import threading

import pytest

from service.services.solving import Search, SolverPool

pytestmark = pytest.mark.anyio


async def test_a_caller_cancelled_while_its_search_waits_does_not_jam_that_question() -> None:
    pool = SolverPool(concurrency=1)
    release = threading.Event()
    busy = asyncio.create_task(pool.answer(Search("busy", lambda: release.wait(10))))
    await asyncio.sleep(0.05)  # the only worker is now taken
    waiting = asyncio.create_task(pool.answer(Search("question", lambda: 42)))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    assert await busy == (True, False)
    # Asked again, the question is answered (by the search the cancelled caller started).
    answer, _ = await asyncio.wait_for(pool.answer(Search("question", lambda: 42)), 5)
    assert answer == 42
    pool.shutdown()


async def test_a_cancelled_caller_leaves_the_shared_search_to_the_others() -> None:
    pool = SolverPool(concurrency=1)
    release = threading.Event()
    runs = []

    def slow() -> str:
        runs.append(1)
        release.wait(10)
        return "answer"

    first = asyncio.create_task(pool.answer(Search("q", slow)))
    second = asyncio.create_task(pool.answer(Search("q", slow)))
    await asyncio.sleep(0.05)
    first.cancel()
    release.set()
    assert await asyncio.wait_for(second, 5) == ("answer", True)
    assert runs == [1]
    assert await pool.answer(Search("q", slow)) == ("answer", True)
    assert pool.searches == 1
    pool.shutdown()


async def test_a_failed_search_is_not_remembered() -> None:
    pool = SolverPool(concurrency=1)
    calls = []

    def failing() -> int:
        calls.append(1)
        raise ValueError("no")

    for _ in range(2):
        with pytest.raises(ValueError, match="no"):
            await pool.answer(Search("bad", failing))
    assert len(calls) == 2
    pool.shutdown()
