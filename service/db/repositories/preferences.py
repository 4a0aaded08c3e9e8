"""Every query on the parties' preference documents."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from service.db.base import table_of
from service.db.models import PreferencesRow
from service.db.repositories._executor import Executor, Statement, columns, values
from service.db.transaction import Transaction

PREFERENCES = table_of(PreferencesRow)

_OF_SUMMIT = Statement(
    select(PREFERENCES)
    .where(PREFERENCES.c.summit_id == bindparam("summit"))
    .order_by(PREFERENCES.c.party_key)
)
_GET = Statement(
    select(PREFERENCES).where(
        PREFERENCES.c.summit_id == bindparam("summit"),
        PREFERENCES.c.party_key == bindparam("party"),
    )
)
_INSERT = Statement(PREFERENCES.insert(), column_keys=columns(PREFERENCES))
_DELETE = Statement(
    PREFERENCES.delete().where(
        PREFERENCES.c.summit_id == bindparam("summit"),
        PREFERENCES.c.party_key == bindparam("party"),
    )
)


class PreferencesRepository:
    """The private utility document of each party of a summit."""

    def __init__(self, tx: Transaction) -> None:
        self.run = Executor(tx)

    def get(self, summit_id: str, party: str) -> PreferencesRow | None:
        """Return a party's preference document."""
        return self.run.record(PreferencesRow, _GET, summit=summit_id, party=party)

    def of_summit(self, summit_id: str) -> list[PreferencesRow]:
        """Return every preference document of a summit."""
        return self.run.records(PreferencesRow, _OF_SUMMIT, summit=summit_id)

    def put(self, record: PreferencesRow) -> None:
        """Insert or replace a party's preference document (under the summit's write lock)."""
        self.run.run(_DELETE, summit=record.summit_id, party=record.party_key)
        self.run.run(_INSERT, **values(record, without=()))
