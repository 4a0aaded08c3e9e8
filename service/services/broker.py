"""Wakes long-poll readers the moment a summit's log grows.

Writers signal after commit (from worker threads); the broker wakes the waiters of that
summit on the event loop at once. Across processes, PostgreSQL's LISTEN/NOTIFY feeds the
same broker; on SQLite a background watcher compares the heads of the summits being waited on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

log = logging.getLogger("parley.broker")
T = TypeVar("T")


def on_loop(loop: asyncio.AbstractEventLoop, callback: Callable[..., object], *args: Any) -> None:
    """Run ``callback`` on ``loop``, from any thread.

    Called on the loop itself (by a write that ran there), it runs at once, without waking
    the loop through its self-pipe; from another thread, soon and thread-safely.
    """
    if loop.is_closed():
        return
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        callback(*args)
    else:
        loop.call_soon_threadsafe(callback, *args)


class EventBroker:
    """Per-summit wake-ups for readers waiting on new events."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[str, asyncio.Event] = {}
        # The lowest seq a reader of each summit waits beyond.
        self._after: dict[str, int] = {}

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Attach the broker to the event loop its waiters run on."""
        self._loop = loop

    def published(self, summit_id: str) -> None:
        """Note that a summit's log grew; safe to call from any thread."""
        if self._loop is not None:
            on_loop(self._loop, self.wake, summit_id)

    def wake(self, summit_id: str) -> None:
        """Wake every reader waiting on ``summit_id`` (on the loop's thread)."""
        waiter = self._waiters.pop(summit_id, None)
        self._after.pop(summit_id, None)
        if waiter is not None:
            waiter.set()

    def wake_all(self) -> None:
        """Wake every reader (after a reconnection may have lost notifications)."""
        for summit_id in list(self._waiters):
            self.wake(summit_id)

    def waited_on(self) -> dict[str, int]:
        """Return the summits someone is waiting on, each with the seq it waits beyond."""
        return dict(self._after)

    def subscribe(self, summit_id: str, after: int) -> asyncio.Event:
        """Return the event that the next publication on ``summit_id`` will set."""
        waiter = self._waiters.get(summit_id)
        if waiter is None:
            waiter = self._waiters[summit_id] = asyncio.Event()
        self._after[summit_id] = min(after, self._after.get(summit_id, after))
        return waiter

    async def wait_for(
        self, summit_id: str, after: int, fetch: Callable[[], Awaitable[list[T]]], wait: float
    ) -> list[T]:
        """Return what ``fetch`` finds, waiting up to ``wait`` seconds for something new.

        The subscription is taken before each fetch, so a publication that lands between
        the fetch and the wait still wakes this reader.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            waiter = self.subscribe(summit_id, after)
            found = await fetch()
            remaining = deadline - loop.time()
            if found or remaining <= 0:
                return found
            try:
                await asyncio.wait_for(waiter.wait(), remaining)
            except TimeoutError:
                return await fetch()


async def watch_heads(
    broker: EventBroker,
    heads: Callable[[list[str]], Awaitable[dict[str, int]]],
    interval: float,
) -> None:
    """Wake readers of summits whose log grew in another process (SQLite, several workers)."""
    while True:
        await asyncio.sleep(interval)
        waited = broker.waited_on()
        if not waited:
            continue
        try:
            current = await heads(list(waited))
        except Exception:
            log.exception("could not read summit heads")
            continue
        for summit_id, seq in current.items():
            if seq > waited[summit_id]:
                broker.wake(summit_id)
