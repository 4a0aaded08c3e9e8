"""Queries on the concession ledger and the event log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import ConcessionRow, EventRow


class LedgerRepository:
    """Concessions and events: the append-only parts of a summit's record."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *rows: ConcessionRow | EventRow) -> None:
        """Stage rows and give them their ids."""
        self.session.add_all(rows)
        self.session.flush()

    def concessions(self, summit_id: str, round_number: int | None = None) -> list[ConcessionRow]:
        """Return concessions of one round (or all) in the order recorded."""
        query = select(ConcessionRow).where(ConcessionRow.summit_id == summit_id)
        if round_number is not None:
            query = query.where(ConcessionRow.round == round_number)
        return list(self.session.scalars(query.order_by(ConcessionRow.id)).all())

    def events(self, summit_id: str, *, after: int = 0, limit: int | None = None) -> list[EventRow]:
        """Return events with ``seq`` greater than ``after``, in order."""
        query = (
            select(EventRow)
            .where(EventRow.summit_id == summit_id, EventRow.seq > after)
            .order_by(EventRow.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        return list(self.session.scalars(query).all())
