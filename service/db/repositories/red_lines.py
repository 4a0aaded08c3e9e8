"""Every query on red lines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select

from service.db.base import table_of
from service.db.models import RedLineRow
from service.db.repositories._executor import Executor, Statement, columns, values
from service.db.transaction import Transaction

RED_LINE = table_of(RedLineRow)

_INSERT = Statement(
    RED_LINE.insert().returning(RED_LINE.c.id), column_keys=columns(RED_LINE, without=("id",))
)
_OF_SUMMIT = Statement(
    select(RED_LINE).where(RED_LINE.c.summit_id == bindparam("summit")).order_by(RED_LINE.c.id)
)
_GET = Statement(
    select(RED_LINE).where(
        RED_LINE.c.id == bindparam("id"), RED_LINE.c.summit_id == bindparam("summit")
    )
)


class RedLineRepository:
    """The red lines of a summit's parties."""

    def __init__(self, tx: Transaction) -> None:
        self.run = Executor(tx)

    def add(self, record: RedLineRow) -> None:
        """Insert a red line and set its id."""
        row = self.run.first(_INSERT, **values(record))
        assert row is not None
        record.id = row["id"]

    def of_summit(self, summit_id: str) -> list[RedLineRow]:
        """Return every red line of a summit in declaration order."""
        return self.run.records(RedLineRow, _OF_SUMMIT, summit=summit_id)

    def get(self, summit_id: str, red_line_id: int) -> RedLineRow | None:
        """Return one red line of a summit."""
        return self.run.record(RedLineRow, _GET, id=red_line_id, summit=summit_id)

    def update(self, red_line_id: int, changes: Mapping[str, Any]) -> None:
        """Write the changed fields of a red line."""
        self.run.update(RED_LINE, "id", red_line_id, changes)
