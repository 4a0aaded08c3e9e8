"""Whether a summit was declassified: the one query the other read routes need for it."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select

from service.db.repositories._executor import Executor, Statement
from service.db.repositories.events import EVENT
from service.db.transaction import Transaction
from service.domain.events import EventType


class Declassified(NamedTuple):
    """Where the summit's declassification stands in its chain."""

    seq: int
    at: datetime


_DECLASSIFIED = Statement(
    select(EVENT.c.seq, EVENT.c.at)
    .where(
        EVENT.c.summit_id == bindparam("summit"),
        EVENT.c.type == EventType.SUMMIT_DECLASSIFIED.value,
    )
    .limit(1)
)


def declassified_at(tx: Transaction, summit_id: str) -> Declassified | None:
    """Return the seq and time of the summit's declassification event, or None."""
    row = Executor(tx).first(_DECLASSIFIED, summit=summit_id)
    return None if row is None else Declassified(int(row["seq"]), row["at"])
