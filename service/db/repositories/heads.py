"""The head of each summit's event log, for cross-process wake-ups."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import SummitRow


def event_heads(session: Session, summit_ids: list[str]) -> dict[str, int]:
    """Return the last event ``seq`` of each summit."""
    query = select(SummitRow.id, SummitRow.last_seq).where(SummitRow.id.in_(summit_ids))
    return dict(session.execute(query).all())
