"""Queries on summits, their parties and credentials."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.models import CredentialRow, PartyRow, SummitRow


class SummitRepository:
    """Summits, the parties at each table, and the credentials that act for them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *rows: SummitRow | PartyRow | CredentialRow) -> None:
        """Stage new rows."""
        self.session.add_all(rows)

    def get(self, summit_id: str, *, for_update: bool = False) -> SummitRow | None:
        """Return a summit, locking its row for the transaction when ``for_update``."""
        query = select(SummitRow).where(SummitRow.id == summit_id)
        if for_update:
            query = query.with_for_update()
        return self.session.scalars(query).first()

    def page(self, *, status: str | None, limit: int, offset: int) -> tuple[list[SummitRow], int]:
        """Return summits newest first, and how many there are in all."""
        query = select(SummitRow)
        counter = select(func.count()).select_from(SummitRow)
        if status is not None:
            query = query.where(SummitRow.status == status)
            counter = counter.where(SummitRow.status == status)
        rows = self.session.scalars(
            query.order_by(SummitRow.created_at.desc(), SummitRow.id).limit(limit).offset(offset)
        ).all()
        return list(rows), int(self.session.scalar(counter) or 0)

    def parties(self, summit_id: str) -> list[PartyRow]:
        """Return the parties of a summit in table order."""
        query = select(PartyRow).where(PartyRow.summit_id == summit_id).order_by(PartyRow.position)
        return list(self.session.scalars(query).all())

    def parties_of(self, summit_ids: list[str]) -> dict[str, list[PartyRow]]:
        """Return the parties of several summits at once, by summit."""
        out: dict[str, list[PartyRow]] = {summit_id: [] for summit_id in summit_ids}
        if summit_ids:
            query = (
                select(PartyRow)
                .where(PartyRow.summit_id.in_(summit_ids))
                .order_by(PartyRow.summit_id, PartyRow.position)
            )
            for row in self.session.scalars(query):
                out[row.summit_id].append(row)
        return out

    def credential(self, selector: str) -> CredentialRow | None:
        """Return the credential with this public selector."""
        return self.session.get(CredentialRow, selector)

    def due(self, now: datetime) -> list[str]:
        """Return the open summits whose phase deadline has passed."""
        query = select(SummitRow.id).where(
            SummitRow.status == "open", SummitRow.phase_deadline_at <= now
        )
        return list(self.session.scalars(query).all())

    def next_deadline(self) -> datetime | None:
        """Return the earliest phase deadline of any open summit."""
        query = select(func.min(SummitRow.phase_deadline_at)).where(SummitRow.status == "open")
        value: datetime | None = self.session.scalar(query)
        if value is not None and value.tzinfo is None:
            # min() bypasses the column type on SQLite; the stored value is UTC.
            value = value.replace(tzinfo=UTC)
        return value
