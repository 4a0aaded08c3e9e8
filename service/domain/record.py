"""The tamper-evident record: canonical JSON and the SHA-256 hash chain over events.

Each event's hash is SHA-256 over the previous event's hash (hex) followed by the canonical
JSON of ``{"seq", "at", "type", "actor", "data"}``; the first event chains to 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """Serialise with sorted keys, no spaces and UTF-8 text: one text for one value."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def format_time(moment: datetime) -> str:
    """Write a time as ISO 8601 UTC with microseconds, the form hashed into the chain."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    previous: str, *, seq: int, at: str, type: str, actor: str, data: Mapping[str, Any]
) -> str:
    """Return the chained hash of one event."""
    body = canonical_json({"seq": seq, "at": at, "type": type, "actor": actor, "data": data})
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainedEvent:
    """An event as stored: the fields that are hashed and the stored hash."""

    seq: int
    at: str
    type: str
    actor: str
    data: Mapping[str, Any]
    hash: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of recomputing a chain."""

    valid: bool
    events: int
    first_bad_seq: int | None


def verify_chain(
    events: Iterable[ChainedEvent], *, expected_last: str | None = None
) -> Verification:
    """Recompute the chain in ``seq`` order; report the first event that does not fit.

    An event does not fit when its ``seq`` leaves a gap or its hash differs from the
    recomputed one. ``expected_last``, the head the summit recorded, catches a truncated tail.
    """
    previous = GENESIS
    count = 0
    for count, event in enumerate(events, start=1):
        recomputed = event_hash(
            previous,
            seq=event.seq,
            at=event.at,
            type=event.type,
            actor=event.actor,
            data=event.data,
        )
        if event.seq != count or recomputed != event.hash:
            return Verification(False, count, min(event.seq, count))
        previous = event.hash
    if expected_last is not None and previous != expected_last:
        return Verification(False, count, count + 1)
    return Verification(True, count, None)
