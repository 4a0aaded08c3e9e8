"""Every query on summits, the parties at their tables and the credentials that act for them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select

from service.db.base import table_of
from service.db.models import CredentialRow, PartyRow, SummitRow
from service.db.repositories._executor import Executor, Statement, columns, values
from service.db.transaction import Transaction

SUMMIT = table_of(SummitRow)
PARTY = table_of(PartyRow)
CREDENTIAL = table_of(CredentialRow)

_BY_ID = select(SUMMIT).where(SUMMIT.c.id == bindparam("id"))
_GET = Statement(_BY_ID)
_GET_LOCKED = Statement(_BY_ID.with_for_update())
_HEAD = Statement(
    select(SUMMIT.c.status, SUMMIT.c.red_lines_rev).where(SUMMIT.c.id == bindparam("id"))
)
_INSERT = Statement(SUMMIT.insert(), column_keys=columns(SUMMIT))
_AGENDA = Statement(select(SUMMIT.c.agenda).where(SUMMIT.c.id == bindparam("id")))
_INSERT_PARTY = Statement(PARTY.insert(), column_keys=columns(PARTY, without=("id",)))
_PARTIES = Statement(
    select(PARTY).where(PARTY.c.summit_id == bindparam("summit")).order_by(PARTY.c.position)
)
_INSERT_CREDENTIAL = Statement(CREDENTIAL.insert(), column_keys=columns(CREDENTIAL))
_CREDENTIAL = Statement(select(CREDENTIAL).where(CREDENTIAL.c.id == bindparam("id")))
_CREDENTIALS = Statement(select(CREDENTIAL).where(CREDENTIAL.c.summit_id == bindparam("summit")))


class SummitHead(NamedTuple):
    """A summit's status and red-line revision."""

    id: str
    status: str
    red_lines_rev: int


class SummitRepository:
    """Summits, the parties at each table, and the credentials that act for them."""

    def __init__(self, tx: Transaction) -> None:
        self.run = Executor(tx)

    def insert(self, record: SummitRow) -> None:
        """Insert a new summit."""
        self.run.run(_INSERT, **values(record, without=()))

    def add_parties(self, records: list[PartyRow]) -> None:
        """Insert the parties of a new summit."""
        for record in records:
            self.run.run(_INSERT_PARTY, **values(record))

    def add_credential(self, record: CredentialRow) -> None:
        """Insert a credential."""
        self.run.run(_INSERT_CREDENTIAL, **values(record, without=()))

    def get(self, summit_id: str, *, for_update: bool = False) -> SummitRow | None:
        """Return a summit, locking its row for the transaction when ``for_update``."""
        return self.run.record(SummitRow, _GET_LOCKED if for_update else _GET, id=summit_id)

    def update(self, summit_id: str, changes: Mapping[str, Any]) -> None:
        """Write the changed fields of a summit (one UPDATE of exactly those columns)."""
        self.run.update(SUMMIT, "id", summit_id, changes)

    def head(self, summit_id: str) -> SummitHead | None:
        """Return a summit's status and red-line revision."""
        found = self.run.first(_HEAD, id=summit_id)
        if found is None:
            return None
        return SummitHead(summit_id, found["status"], found["red_lines_rev"])

    def agenda(self, summit_id: str) -> list[dict[str, Any]] | None:
        """Return a summit's agenda specification, or None when there is no such summit."""
        found = self.run.first(_AGENDA, id=summit_id)
        return None if found is None else list(found["agenda"])

    def page(self, *, status: str | None, limit: int, offset: int) -> tuple[list[SummitRow], int]:
        """Return summits newest first, and how many there are in all."""
        query = select(SUMMIT)
        counter = select(func.count().label("n")).select_from(SUMMIT)
        if status is not None:
            query = query.where(SUMMIT.c.status == status)
            counter = counter.where(SUMMIT.c.status == status)
        rows = self.run.dynamic(
            query.order_by(SUMMIT.c.created_at.desc(), SUMMIT.c.id).limit(limit).offset(offset)
        )
        total = int(self.run.dynamic(counter)[0]["n"] or 0)
        return [SummitRow(**row) for row in rows], total

    def parties(self, summit_id: str) -> list[PartyRow]:
        """Return the parties of a summit in table order."""
        return self.run.records(PartyRow, _PARTIES, summit=summit_id)

    def parties_of(self, summit_ids: list[str]) -> dict[str, list[PartyRow]]:
        """Return the parties of several summits at once, by summit."""
        out: dict[str, list[PartyRow]] = {summit_id: [] for summit_id in summit_ids}
        if summit_ids:
            query = (
                select(PARTY)
                .where(PARTY.c.summit_id.in_(summit_ids))
                .order_by(PARTY.c.summit_id, PARTY.c.position)
            )
            for row in self.run.dynamic(query):
                out[row["summit_id"]].append(PartyRow(**row))
        return out

    def credential(self, selector: str) -> CredentialRow | None:
        """Return the credential with this public selector."""
        return self.run.record(CredentialRow, _CREDENTIAL, id=selector)

    def credentials(self, summit_id: str) -> list[CredentialRow]:
        """Return every credential of a summit."""
        return self.run.records(CredentialRow, _CREDENTIALS, summit=summit_id)

    def due(self, now: datetime) -> list[str]:
        """Return the open summits whose phase deadline has passed."""
        query = select(SUMMIT.c.id).where(
            SUMMIT.c.status == "open", SUMMIT.c.phase_deadline_at <= now
        )
        return [row["id"] for row in self.run.dynamic(query)]

    def next_deadline(self) -> datetime | None:
        """Return the earliest phase deadline of any open summit."""
        query = select(func.min(SUMMIT.c.phase_deadline_at).label("at")).where(
            SUMMIT.c.status == "open"
        )
        value: datetime | None = self.run.dynamic(query)[0]["at"]
        if value is not None and value.tzinfo is None:
            # min() bypasses the column type on SQLite; the stored value is UTC.
            value = value.replace(tzinfo=UTC)
        return value

    def event_heads(self, summit_ids: list[str]) -> dict[str, int]:
        """Return the last event ``seq`` of each summit (for cross-process wake-ups)."""
        query = select(SUMMIT.c.id, SUMMIT.c.last_seq).where(SUMMIT.c.id.in_(summit_ids))
        return {row["id"]: row["last_seq"] for row in self.run.dynamic(query)}
