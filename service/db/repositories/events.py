"""Every query on the event log."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from service.db.base import table_of
from service.db.models import EventRow
from service.db.repositories._executor import Executor, Statement, columns, values
from service.db.transaction import Transaction

EVENT = table_of(EventRow)

_INSERT = Statement(EVENT.insert(), column_keys=columns(EVENT))
_QUERY = (
    select(EVENT)
    .where(EVENT.c.summit_id == bindparam("summit"), EVENT.c.seq > bindparam("after"))
    .order_by(EVENT.c.seq)
)
_EVENTS = Statement(_QUERY)
_EVENTS_LIMITED = Statement(_QUERY.limit(bindparam("limit")))


class EventRepository:
    """A summit's hash-chained event log: appended to, read in order."""

    def __init__(self, tx: Transaction) -> None:
        self.run = Executor(tx)

    def add(self, record: EventRow) -> None:
        """Append an event."""
        self.run.run(_INSERT, **values(record, without=()))

    def after(self, summit_id: str, *, after: int = 0, limit: int | None = None) -> list[EventRow]:
        """Return events with ``seq`` greater than ``after``, in order."""
        query = _EVENTS if limit is None else _EVENTS_LIMITED
        return self.run.records(EventRow, query, summit=summit_id, after=after, limit=limit)
