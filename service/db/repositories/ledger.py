"""Queries on the concession ledger and the event log (Core, prebuilt statements)."""

from __future__ import annotations

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from service.db.records import (
    CONCESSION,
    EVENT,
    ConcessionRecord,
    EventRecord,
    from_row,
    values,
)

_INSERT_CONCESSION = CONCESSION.insert().returning(CONCESSION.c.id)
_INSERT_EVENT = EVENT.insert()
_SUMMIT: BindParameter[str] = bindparam("summit")
_CONCESSIONS = select(CONCESSION).where(CONCESSION.c.summit_id == _SUMMIT).order_by(CONCESSION.c.id)
_CONCESSIONS_OF_ROUND = _CONCESSIONS.where(CONCESSION.c.round == bindparam("round"))
_EVENTS = (
    select(EVENT)
    .where(EVENT.c.summit_id == _SUMMIT, EVENT.c.seq > bindparam("after"))
    .order_by(EVENT.c.seq)
)
_EVENTS_LIMITED = _EVENTS.limit(bindparam("limit"))


class LedgerRepository:
    """Concessions and events: the append-only parts of a summit's record."""

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()

    def add_concession(self, record: ConcessionRecord) -> None:
        """Insert a concession and set its id."""
        record.id = self.connection.execute(_INSERT_CONCESSION, values(record)).scalar_one()

    def add_event(self, record: EventRecord) -> None:
        """Append an event."""
        self.connection.execute(_INSERT_EVENT, values(record, without=()))

    def concessions(
        self, summit_id: str, round_number: int | None = None
    ) -> list[ConcessionRecord]:
        """Return concessions of one round (or all) in the order recorded."""
        query = _CONCESSIONS if round_number is None else _CONCESSIONS_OF_ROUND
        rows = self.connection.execute(query, {"summit": summit_id, "round": round_number})
        return [from_row(ConcessionRecord, row) for row in rows]

    def events(
        self, summit_id: str, *, after: int = 0, limit: int | None = None
    ) -> list[EventRecord]:
        """Return events with ``seq`` greater than ``after``, in order."""
        query = _EVENTS if limit is None else _EVENTS_LIMITED
        rows = self.connection.execute(query, {"summit": summit_id, "after": after, "limit": limit})
        return [from_row(EventRecord, row) for row in rows]
