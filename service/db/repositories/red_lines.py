"""Queries on red lines and preferences."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import PreferencesRow, RedLineRow


class RedLineRepository:
    """The red lines and the preference documents of a summit's parties."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: RedLineRow) -> RedLineRow:
        """Stage a red line and give it its id."""
        self.session.add(row)
        self.session.flush()
        return row

    def of_summit(self, summit_id: str) -> list[RedLineRow]:
        """Return every red line of a summit in declaration order."""
        query = select(RedLineRow).where(RedLineRow.summit_id == summit_id).order_by(RedLineRow.id)
        return list(self.session.scalars(query).all())

    def get(self, summit_id: str, red_line_id: int) -> RedLineRow | None:
        """Return one red line of a summit."""
        row = self.session.get(RedLineRow, red_line_id)
        return row if row is not None and row.summit_id == summit_id else None

    def preferences(self, summit_id: str, party: str) -> PreferencesRow | None:
        """Return a party's preference document."""
        return self.session.get(PreferencesRow, (summit_id, party))

    def all_preferences(self, summit_id: str) -> list[PreferencesRow]:
        """Return every preference document of a summit."""
        query = select(PreferencesRow).where(PreferencesRow.summit_id == summit_id)
        return list(self.session.scalars(query).all())

    def put_preferences(self, row: PreferencesRow) -> None:
        """Insert or replace a party's preference document."""
        self.session.merge(row)
