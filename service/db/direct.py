"""Single-statement reads without a session, for the hottest read paths.

SQLAlchemy compiles the statement once for the engine's dialect; each read borrows a pooled
DBAPI connection, runs it and gives the connection back (the pool rolls back whatever the
driver began). One statement is atomic on its own, so no explicit transaction is needed.
Only columns whose values need no type conversion (strings, integers) belong here.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.sql import Select


class DirectRead:
    """A compiled SELECT returning at most one row of plain values."""

    def __init__(self, engine: Engine, statement: Select[Any]) -> None:
        compiled = statement.compile(dialect=engine.dialect)
        self._engine = engine
        self._sql = str(compiled)
        self._names = list(compiled.positiontup or [])
        self._positional = bool(self._names)
        # SQLite connections are cheap to keep and run in autocommit here (see engine.py):
        # each thread keeps one rather than borrowing from the pool for every read.
        self._keep = engine.dialect.name == "sqlite"
        self._local = threading.local()

    def first(self, **params: Any) -> tuple[Any, ...] | None:
        """Run the statement with ``params`` and return its first row."""
        args: Any = [params[name] for name in self._names] if self._positional else params
        if self._keep:
            connection = getattr(self._local, "connection", None)
            if connection is None:
                connection = self._local.connection = self._engine.raw_connection()
            cursor = connection.cursor()
            cursor.execute(self._sql, args)
            row = cursor.fetchone()
            cursor.close()
            return None if row is None else tuple(row)
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self._sql, args)
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()
        return None if row is None else tuple(row)
