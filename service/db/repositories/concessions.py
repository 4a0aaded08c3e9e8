"""Every query on the concession ledger."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from service.db.base import table_of
from service.db.models import ConcessionRow
from service.db.repositories._executor import Executor, Statement, columns, values
from service.db.transaction import Transaction

CONCESSION = table_of(ConcessionRow)

_INSERT = Statement(
    CONCESSION.insert().returning(CONCESSION.c.id),
    column_keys=columns(CONCESSION, without=("id",)),
)
_QUERY = (
    select(CONCESSION)
    .where(CONCESSION.c.summit_id == bindparam("summit"))
    .order_by(CONCESSION.c.id)
)
_ALL = Statement(_QUERY)
_OF_ROUND = Statement(_QUERY.where(CONCESSION.c.round == bindparam("round")))


class ConcessionRepository:
    """The append-only concession ledger of a summit."""

    def __init__(self, tx: Transaction) -> None:
        self.run = Executor(tx)

    def add(self, record: ConcessionRow) -> None:
        """Insert a concession and set its id."""
        row = self.run.first(_INSERT, **values(record))
        assert row is not None
        record.id = row["id"]

    def of_summit(self, summit_id: str, round_number: int | None = None) -> list[ConcessionRow]:
        """Return concessions of one round (or all) in the order recorded."""
        query = _ALL if round_number is None else _OF_ROUND
        return self.run.records(ConcessionRow, query, summit=summit_id, round=round_number)
