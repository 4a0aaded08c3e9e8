"""The deadline keeper: advances phases whose deadline passed, even when nobody calls.

Each worker runs one. It sleeps until the earliest deadline of any open summit (or until a
request in this process sets a new one), then applies every due deadline in its own locked
transaction. Several workers or hosts may race for the same summit: the row lock (SQLite's
write lock) serialises them and the loser finds nothing due. A periodic look at the database
catches deadlines set by other processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime

from service.db.engine import Database
from service.db.repositories.summits import SummitRepository
from service.services.broker import on_loop
from service.services.cache import SummitCache, use_cache
from service.services.clock import utcnow
from service.services.lifecycle import apply_due
from service.services.loading import load_summit

log = logging.getLogger("parley.deadlines")
# Timers may fire a hair early; waking slightly late keeps one wake-up per deadline.
_SLACK = 0.005


class DeadlineKeeper:
    """Applies phase deadlines as they pass."""

    def __init__(self, database: Database, cache: SummitCache, poll_seconds: float) -> None:
        self.database = database
        self.cache = cache
        self.poll_seconds = poll_seconds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None

    def deadline_changed(self) -> None:
        """Note that a deadline moved in this process; safe to call from any thread."""
        if self._loop is not None and self._changed is not None:
            on_loop(self._loop, self._changed.set)

    async def run(self) -> None:
        """Loop forever: sleep until the next deadline, then apply what is due."""
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        while True:
            try:
                await self.database.run(self.advance_due)
                upcoming = await self.database.run(self._next_deadline, write=False)
            except Exception:
                log.exception("deadline pass failed")
                upcoming = None
            timeout = self.poll_seconds
            if upcoming is not None:
                timeout = min(timeout, max(0.0, (upcoming - utcnow()).total_seconds() + _SLACK))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
            self._changed.clear()

    def _next_deadline(self) -> datetime | None:
        with self.database.transaction(write=False) as tx:
            return SummitRepository(tx).next_deadline()

    def advance_due(self) -> int:
        """Apply every passed deadline now; return how many summits moved."""
        with self.database.transaction(write=False) as tx:
            due = SummitRepository(tx).due(utcnow())
        moved = 0
        for summit_id in due:
            try:
                with self.database.transaction(write=True) as tx:
                    use_cache(tx, self.cache)
                    ctx = load_summit(tx, summit_id, for_update=True)
                    moved += apply_due(ctx, utcnow())
            except Exception:
                log.exception("could not apply the deadline of summit %s", summit_id)
        return moved
