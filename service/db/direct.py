"""Single-statement reads without a session, for the hottest read paths.

SQLAlchemy compiles the statement once for the engine's dialect; each read borrows a pooled
DBAPI connection, runs it and gives the connection back (the pool rolls back whatever the
driver began). One statement is atomic on its own, so no explicit transaction is needed.
Only columns whose values need no type conversion (strings, integers) belong here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler

from service.db.engine import Database


class DirectRead:
    """A compiled SELECT returning at most one row of plain values."""

    def __init__(self, database: Database, statement: Select[Any]) -> None:
        compiled = statement.compile(dialect=database.engine.dialect)
        assert isinstance(compiled, SQLCompiler)
        self._database = database
        self._sql = str(compiled)
        self._names = list(compiled.positiontup or [])
        self._positional = bool(self._names)

    def first(self, **params: Any) -> tuple[Any, ...] | None:
        """Run the statement with ``params`` and return its first row."""
        args: Any = [params[name] for name in self._names] if self._positional else params
        with self._database.raw_connection() as connection:
            cursor = connection.cursor()
            cursor.execute(self._sql, args)
            row = cursor.fetchone()
            cursor.close()
        return None if row is None else tuple(row)
