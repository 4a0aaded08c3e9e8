"""Appending to a summit's hash-chained event log, and signalling listeners after commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, get_args

from pydantic import TypeAdapter
from sqlalchemy import text

from service.db.models import EventRow
from service.db.repositories.events import EventRepository
from service.domain.record import event_hash, format_time
from service.services.loading import SummitContext
from service.services.results.event_data import EventData

# PostgreSQL delivers NOTIFY on commit to every worker on every host that LISTENs.
PG_CHANNEL = "parley_events"
# One adapter per payload type (a union's would guess the member by trying each in turn).
_WRITERS: Mapping[type, TypeAdapter[Any]] = MappingProxyType(
    {kind: TypeAdapter(kind) for kind in get_args(EventData)}
)


def append_event(ctx: SummitContext, actor: str, payload: EventData, now: datetime) -> EventRow:
    """Append one event (of its payload's type) to the summit's chain.

    The summit row holds the chain's head; the event stores its payload's JSON.
    """
    kind = payload.event
    data: dict[str, Any] = _WRITERS[type(payload)].dump_python(payload, mode="json", by_alias=True)
    row = ctx.row
    seq = row.last_seq + 1
    at = format_time(now)
    digest = event_hash(row.last_hash, seq=seq, at=at, type=kind.value, actor=actor, data=data)
    event = EventRow(
        summit_id=row.id, seq=seq, at=now, type=kind.value, actor=actor, data=data, hash=digest
    )
    EventRepository(ctx.tx).add(event)
    ctx.set(last_seq=seq, last_hash=digest)
    tx = ctx.tx
    if not tx.signalled("event", row.id) and tx.dialect == "postgresql":
        tx.execute(
            text("SELECT pg_notify(:channel, :summit)"), {"channel": PG_CHANNEL, "summit": row.id}
        )
    tx.signal("event", row.id)
    return event
