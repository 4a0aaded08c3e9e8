"""Queries on summits (Core), their parties and credentials."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from service.db.direct import DirectRead
from service.db.engine import Database
from service.db.fast import Fast, Statement
from service.db.models import CredentialRow, PartyRow
from service.db.records import SUMMIT, SummitRecord, from_row, values

_COLUMNS = [column.key for column in SUMMIT.columns]
_BY_ID = select(SUMMIT).where(SUMMIT.c.id == bindparam("id"))
_GET = Statement(_BY_ID)
_GET_LOCKED = Statement(_BY_ID.with_for_update())
_HEAD = select(SUMMIT.c.status, SUMMIT.c.red_lines_rev).where(SUMMIT.c.id == bindparam("id"))
_HEAD_STATEMENT = Statement(_HEAD)
_INSERT = Statement(SUMMIT.insert(), column_keys=_COLUMNS)
_AGENDA = Statement(select(SUMMIT.c.agenda).where(SUMMIT.c.id == bindparam("id")))
# One UPDATE per set of changed columns, prepared on first use.
_UPDATES: dict[tuple[str, ...], Statement] = {}


def _update(columns: tuple[str, ...]) -> Statement:
    found = _UPDATES.get(columns)
    if found is None:
        statement = SUMMIT.update().where(SUMMIT.c.id == bindparam("_id"))
        found = _UPDATES[columns] = Statement(statement, column_keys=list(columns))
    return found


class SummitHead(NamedTuple):
    """A summit's status and red-line revision."""

    id: str
    status: str
    red_lines_rev: int


def head_reader(database: Database) -> DirectRead:
    """Return a sessionless reader of a summit's status and red-line revision."""
    return DirectRead(database, _HEAD)


def read_head(reader: DirectRead, summit_id: str) -> SummitHead | None:
    """Read a summit's head with a sessionless reader."""
    found = reader.first(id=summit_id)
    return None if found is None else SummitHead(summit_id, found[0], found[1])


class SummitRepository:
    """Summits, the parties at each table, and the credentials that act for them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *rows: PartyRow | CredentialRow) -> None:
        """Stage new party or credential rows."""
        self.session.add_all(rows)

    def insert(self, record: SummitRecord) -> None:
        """Insert a new summit."""
        Fast(self.session).run(_INSERT, **values(record, without=()))

    def get(self, summit_id: str, *, for_update: bool = False) -> SummitRecord | None:
        """Return a summit, locking its row for the transaction when ``for_update``."""
        found = Fast(self.session).first(_GET_LOCKED if for_update else _GET, id=summit_id)
        return None if found is None else SummitRecord(**found)

    def save(self, record: SummitRecord, before: dict[str, Any]) -> None:
        """Write the fields of ``record`` that differ from ``before``."""
        changed = {
            f.name: getattr(record, f.name)
            for f in fields(record)
            if getattr(record, f.name) != before[f.name]
        }
        if changed:
            Fast(self.session).run(_update(tuple(sorted(changed))), _id=record.id, **changed)

    def head(self, summit_id: str) -> SummitHead | None:
        """Return a summit's status and red-line revision."""
        found = Fast(self.session).first(_HEAD_STATEMENT, id=summit_id)
        if found is None:
            return None
        return SummitHead(summit_id, found["status"], found["red_lines_rev"])

    def agenda(self, summit_id: str) -> list[dict[str, Any]]:
        """Return a summit's agenda specification."""
        found = Fast(self.session).first(_AGENDA, id=summit_id)
        if found is None:
            raise LookupError(summit_id)
        specs: list[dict[str, Any]] = found["agenda"]
        return specs

    def page(
        self, *, status: str | None, limit: int, offset: int
    ) -> tuple[list[SummitRecord], int]:
        """Return summits newest first, and how many there are in all."""
        query = select(SUMMIT)
        counter = select(func.count()).select_from(SUMMIT)
        if status is not None:
            query = query.where(SUMMIT.c.status == status)
            counter = counter.where(SUMMIT.c.status == status)
        connection = self.session.connection()
        rows = connection.execute(
            query.order_by(SUMMIT.c.created_at.desc(), SUMMIT.c.id).limit(limit).offset(offset)
        ).all()
        total = int(connection.execute(counter).scalar() or 0)
        return [from_row(SummitRecord, row) for row in rows], total

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

    def credentials(self, summit_id: str) -> list[CredentialRow]:
        """Return every credential of a summit."""
        query = select(CredentialRow).where(CredentialRow.summit_id == summit_id)
        return list(self.session.scalars(query).all())

    def due(self, now: datetime) -> list[str]:
        """Return the open summits whose phase deadline has passed."""
        query = select(SUMMIT.c.id).where(
            SUMMIT.c.status == "open", SUMMIT.c.phase_deadline_at <= now
        )
        return list(self.session.connection().execute(query).scalars().all())

    def next_deadline(self) -> datetime | None:
        """Return the earliest phase deadline of any open summit."""
        query = select(func.min(SUMMIT.c.phase_deadline_at)).where(SUMMIT.c.status == "open")
        value: datetime | None = self.session.connection().execute(query).scalar()
        if value is not None and value.tzinfo is None:
            # min() bypasses the column type on SQLite; the stored value is UTC.
            value = value.replace(tzinfo=UTC)
        return value
