"""Appending to a summit's hash-chained event log, and signalling listeners after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text

from service.db.engine import signal, signalled
from service.db.models import EventRow
from service.db.repositories.events import EventRepository
from service.domain.events import EventType
from service.domain.record import event_hash, format_time
from service.services.loading import SummitContext

# PostgreSQL delivers NOTIFY on commit to every worker on every host that LISTENs.
PG_CHANNEL = "parley_events"


def append_event(
    ctx: SummitContext, type: EventType, actor: str, data: dict[str, Any], now: datetime
) -> EventRow:
    """Append one event to the summit's chain; the summit row holds the chain's head."""
    row = ctx.row
    seq = row.last_seq + 1
    at = format_time(now)
    digest = event_hash(row.last_hash, seq=seq, at=at, type=type.value, actor=actor, data=data)
    event = EventRow(
        summit_id=row.id, seq=seq, at=now, type=type.value, actor=actor, data=data, hash=digest
    )
    EventRepository(ctx.session).add(event)
    ctx.set(last_seq=seq, last_hash=digest)
    session = ctx.session
    if not signalled(session, "event", row.id) and session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :summit)"), {"channel": PG_CHANNEL, "summit": row.id}
        )
    signal(session, "event", row.id)
    return event
