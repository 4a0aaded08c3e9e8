"""Whether a summit was declassified: the one query the other read routes need for it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import EventRow
from service.domain.events import EventType


def declassified_at(session: Session, summit_id: str) -> int | None:
    """Return the seq of the summit's declassification event, or None."""
    query = (
        select(EventRow.seq)
        .where(
            EventRow.summit_id == summit_id,
            EventRow.type == EventType.SUMMIT_DECLASSIFIED.value,
        )
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()
