"""Queries on the concession ledger and the event log (Core, prebuilt statements)."""

from __future__ import annotations

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from service.db.fast import Fast, Statement
from service.db.records import (
    CONCESSION,
    EVENT,
    ConcessionRecord,
    EventRecord,
    values,
)

_INSERT_CONCESSION = Statement(
    CONCESSION.insert().returning(CONCESSION.c.id),
    column_keys=[column.key for column in CONCESSION.columns if column.key != "id"],
)
_INSERT_EVENT = Statement(EVENT.insert(), column_keys=[column.key for column in EVENT.columns])
_SUMMIT: BindParameter[str] = bindparam("summit")
_CONCESSIONS_QUERY = (
    select(CONCESSION).where(CONCESSION.c.summit_id == _SUMMIT).order_by(CONCESSION.c.id)
)
_CONCESSIONS = Statement(_CONCESSIONS_QUERY)
_CONCESSIONS_OF_ROUND = Statement(
    _CONCESSIONS_QUERY.where(CONCESSION.c.round == bindparam("round"))
)
_EVENTS_QUERY = (
    select(EVENT)
    .where(EVENT.c.summit_id == _SUMMIT, EVENT.c.seq > bindparam("after"))
    .order_by(EVENT.c.seq)
)
_EVENTS = Statement(_EVENTS_QUERY)
_EVENTS_LIMITED = Statement(_EVENTS_QUERY.limit(bindparam("limit")))


class LedgerRepository:
    """Concessions and events: the append-only parts of a summit's record."""

    def __init__(self, session: Session) -> None:
        self.fast = Fast(session)

    def add_concession(self, record: ConcessionRecord) -> None:
        """Insert a concession and set its id."""
        row = self.fast.first(_INSERT_CONCESSION, **values(record))
        assert row is not None
        record.id = row["id"]

    def add_event(self, record: EventRecord) -> None:
        """Append an event."""
        self.fast.run(_INSERT_EVENT, **values(record, without=()))

    def concessions(
        self, summit_id: str, round_number: int | None = None
    ) -> list[ConcessionRecord]:
        """Return concessions of one round (or all) in the order recorded."""
        query = _CONCESSIONS if round_number is None else _CONCESSIONS_OF_ROUND
        rows = self.fast.all(query, summit=summit_id, round=round_number)
        return [ConcessionRecord(**row) for row in rows]

    def events(
        self, summit_id: str, *, after: int = 0, limit: int | None = None
    ) -> list[EventRecord]:
        """Return events with ``seq`` greater than ``after``, in order."""
        query = _EVENTS if limit is None else _EVENTS_LIMITED
        rows = self.fast.all(query, summit=summit_id, after=after, limit=limit)
        return [EventRecord(**row) for row in rows]
