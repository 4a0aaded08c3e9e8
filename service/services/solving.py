"""Where solver searches run: off the event loop, a few at a time, each answer kept a while.

A search is CPU work of up to the time limit, so it runs in a small dedicated thread pool
(CP-SAT releases the GIL while it searches); the pool's size bounds how many run at once
in a process. An answer is kept under a key that names the summit's state (its last event
or its red-line revision) and the request, so an identical request on an unchanged summit
is answered from memory, and identical requests that arrive together share one search.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from service.services.cache import LRU

R = TypeVar("R")


@dataclass(frozen=True)
class Search(Generic[R]):
    """A search to run, and the key its answer is kept under."""

    key: Hashable
    run: Callable[[], R]


class SolverPool:
    """Runs searches on a bounded pool and remembers their answers."""

    def __init__(self, concurrency: int, remembered: int = 512) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=max(1, concurrency), thread_name_prefix="parley-solver"
        )
        self._answers: LRU[Any] = LRU(remembered)
        self._running: dict[Hashable, Future[Any]] = {}
        # Reentrant: a done callback runs at once, under the lock, if its search already ended.
        self._lock = threading.RLock()
        self.searches = 0  # how many searches actually ran (the rest came from memory)

    async def answer(self, search: Search[R]) -> tuple[R, bool]:
        """Return the search's answer and whether it came from memory."""
        kept = self._answers.get(search.key)
        if kept is not None:
            return kept, True
        with self._lock:
            kept = self._answers.get(search.key)
            if kept is not None:
                return kept, True
            future = self._running.get(search.key)
            shared = future is not None
            if future is None:
                future = self._running[search.key] = self._executor.submit(self._run, search)
                # Whatever ends it (answer, error, cancelled while queued), it stops running.
                future.add_done_callback(lambda done: self._ended(search.key, done))
        # A caller that goes away must not cancel the search others may be waiting for.
        result: R = await asyncio.shield(asyncio.wrap_future(future))
        return result, shared

    def _run(self, search: Search[R]) -> R:
        result = search.run()
        with self._lock:
            self._answers.put(search.key, result)
            self.searches += 1
        return result

    def _ended(self, key: Hashable, future: Future[Any]) -> None:
        with self._lock:
            if self._running.get(key) is future:
                del self._running[key]

    def forget(self) -> None:
        """Drop every remembered answer."""
        self._answers.clear()

    def shutdown(self) -> None:
        """Stop taking searches; those queued are dropped, those running finish alone."""
        self._executor.shutdown(wait=False, cancel_futures=True)
