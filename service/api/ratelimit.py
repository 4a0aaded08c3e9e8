"""Per-token rate limits on the checker and the solver, and the count of checks per token.

Each worker keeps its own buckets (the app owns them, on ``app.state.limits``): with N
workers a token may make up to N times the configured rate. A caller without a token is
limited by its address. Counts are kept per summit and per token selector, since the worker
started; the convener reads them, mapped to parties, at ``GET /summits/{id}/checks``.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from service.settings import Settings

# Buckets and count tables kept at most; the least recently used is forgotten first.
MAX_BUCKETS = 100_000
MAX_COUNTED_SUMMITS = 10_000


class RateLimited(Exception):
    """The caller asked too often; ``retry_after`` says in how many seconds it may again."""

    def __init__(self, what: str, retry_after: float, rate: float, burst: int) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after
        self.rate = rate
        self.burst = burst


@dataclass
class TokenBuckets:
    """A token bucket per key: ``burst`` at once, then ``rate`` per second."""

    rate: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)

    def take(self, key: str) -> float | None:
        """Spend one token of ``key``'s bucket; return None, or the seconds until one is left."""
        if self.rate <= 0:
            return None
        now = self.clock()
        level, since = self._buckets.pop(key, (float(self.burst), now))
        level = min(float(self.burst), level + (now - since) * self.rate)
        if level < 1:
            self._buckets[key] = (level, now)
            return (1 - level) / self.rate
        self._buckets[key] = (level - 1, now)
        if len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
        return None


@dataclass
class CheckCounts:
    """How many checks each token (by selector) made at each summit, on this worker."""

    _by_summit: OrderedDict[str, dict[str | None, int]] = field(default_factory=OrderedDict)

    def count(self, summit_id: str, selector: str | None) -> None:
        """Count one check at ``summit_id`` by ``selector`` (None: anonymous)."""
        counts = self._by_summit.pop(summit_id, None) or {}
        counts[selector] = counts.get(selector, 0) + 1
        self._by_summit[summit_id] = counts
        if len(self._by_summit) > MAX_COUNTED_SUMMITS:
            self._by_summit.popitem(last=False)

    def of(self, summit_id: str) -> dict[str | None, int]:
        """Return the counts at ``summit_id`` by selector (None: anonymous callers)."""
        return dict(self._by_summit.get(summit_id, {}))


@dataclass
class Limits:
    """What the app owns for rate limiting: one set of buckets per kind, and check counts."""

    checks: TokenBuckets
    solver: TokenBuckets
    counts: CheckCounts = field(default_factory=CheckCounts)
    started_at: float = field(default_factory=time.time)

    def spend_check(self, summit_id: str, token: str | None, address: str) -> None:
        """Spend a check of the caller's bucket (RateLimited when empty) and count it.

        A caller without a token is limited by its ``address``.
        """
        selector = selector_of(token)
        _take(self.checks, selector, address, "checks")
        self.counts.count(summit_id, selector)

    def spend_solver(self, token: str | None, address: str) -> None:
        """Spend a solver question of the caller's bucket (RateLimited when empty)."""
        _take(self.solver, selector_of(token), address, "solver questions")

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """Build the limits the settings ask for."""
        return cls(
            TokenBuckets(settings.check_rate, settings.check_burst),
            TokenBuckets(settings.solver_rate, settings.solver_burst),
        )


def selector_of(token: str | None) -> str | None:
    """Return the selector of a bearer token (its public part), or None without one."""
    if token is None:
        return None
    # prl_<selector>_<secret>: the selector names the credential; a malformed token still
    # gets a bucket of its own (it is refused as 401 right after).
    return token[4:20] if token.startswith("prl_") else token[:32]


def _take(buckets: TokenBuckets, selector: str | None, address: str, what: str) -> None:
    key = f"token:{selector}" if selector is not None else f"address:{address}"
    wait = buckets.take(key)
    if wait is not None:
        raise RateLimited(what, wait, buckets.rate, buckets.burst)


def iso_utc(seconds: float) -> str:
    """Return a Unix time as ISO 8601 UTC."""
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def retry_after_header(error: RateLimited) -> str:
    """Return the Retry-After value (whole seconds, at least 1)."""
    return str(max(1, math.ceil(error.retry_after)))
