"""Prepared statements for the hot paths, run on the transaction's own DBAPI connection.

On this machine SQLAlchemy's per-execution machinery (execution context, parameter and
result set-up, events) costs about ten times what SQLite needs to run the statement: a
proposal's whole transaction takes 57 µs in sqlite3 and over 600 µs through Core. So the
statements of the negotiation's moves are still written with SQLAlchemy, compiled by it once
per dialect (SQL text, parameter order and style, type conversions from its public
``bind_processor``/``result_processor``), and then executed directly on the DBAPI connection
of the session's transaction: same transaction, same SQL, same conversions, less overhead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_DBAPI = "parley_dbapi"

Processor = Callable[[Any], Any]


class Prepared:
    """One statement compiled for one dialect."""

    __slots__ = (
        "_binds",
        "_defaults",
        "_dialect",
        "_names",
        "_positional",
        "_results",
        "_types",
        "columns",
        "sql",
    )

    def __init__(
        self, statement: ClauseElement, dialect: Dialect, column_keys: Sequence[str] | None
    ) -> None:
        keys = list(column_keys) if column_keys is not None else None
        compiled = statement.compile(dialect=dialect, column_keys=keys)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self._positional = compiled.positional
        self._names = list(compiled.positiontup or []) if self._positional else list(compiled.binds)
        self._binds: dict[str, Processor] = {}
        # Values SQLAlchemy bound itself (literals in the statement, default OFFSETs).
        self._defaults: dict[str, Any] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._binds[name] = processor
            if bind.value is not None:
                self._defaults[name] = bind.value
        columns = list(getattr(statement, "selected_columns", ()))
        if not columns and getattr(statement, "returning_column_descriptions", None):
            columns = list(statement.exported_columns)  # type: ignore[attr-defined]
        self.columns = [column.key for column in columns]
        self._types = [column.type.dialect_impl(dialect) for column in columns]
        self._dialect = dialect
        # A result processor may depend on the driver's type code: known at the first fetch.
        self._results: list[Processor | None] | None = None

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """Convert and order the parameters the way the driver wants them."""
        if self._defaults:
            values = {**self._defaults, **values}
        binds = self._binds
        if self._positional:
            return [
                binds[name](values[name]) if name in binds else values[name] for name in self._names
            ]
        return {
            name: binds[name](values[name]) if name in binds else values[name]
            for name in self._names
        }

    def rows(
        self, raw: Iterable[Sequence[Any]], description: Sequence[Sequence[Any]]
    ) -> list[dict[str, Any]]:
        """Convert result rows to dictionaries of column values."""
        processors = self._results
        if processors is None:
            processors = self._results = [
                kind.result_processor(self._dialect, column[1])
                for kind, column in zip(self._types, description, strict=True)
            ]
        columns = self.columns
        return [
            {
                key: (process(value) if process is not None else value)
                for key, process, value in zip(columns, processors, row, strict=True)
            }
            for row in raw
        ]


class Statement:
    """A statement written with SQLAlchemy, prepared lazily for each dialect it meets."""

    __slots__ = ("_column_keys", "_prepared", "statement")

    def __init__(self, statement: ClauseElement, column_keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self._column_keys = column_keys
        self._prepared: dict[str, Prepared] = {}

    def prepared(self, dialect: Dialect) -> Prepared:
        """Return the statement compiled for ``dialect``."""
        found = self._prepared.get(dialect.name)
        if found is None:
            found = self._prepared[dialect.name] = Prepared(
                self.statement, dialect, self._column_keys
            )
        return found


class Fast:
    """Runs prepared statements inside a session's transaction."""

    __slots__ = ("_connection", "_dialect")

    def __init__(self, session: Session) -> None:
        found = session.info.get(_DBAPI)
        if found is None:
            connection = session.connection()  # begins the transaction if needed
            dbapi = connection.connection.dbapi_connection
            assert dbapi is not None
            found = session.info[_DBAPI] = (dbapi, connection.dialect)
        self._connection: Any = found[0]
        self._dialect: Dialect = found[1]

    def all(self, statement: Statement, **values: Any) -> list[dict[str, Any]]:
        """Run a statement and return every row."""
        prepared = statement.prepared(self._dialect)
        cursor = self._connection.cursor()
        try:
            cursor.execute(prepared.sql, prepared.parameters(values))
            if not prepared.columns:
                return []
            return prepared.rows(cursor.fetchall(), cursor.description)
        finally:
            cursor.close()

    def first(self, statement: Statement, **values: Any) -> dict[str, Any] | None:
        """Run a statement and return its first row, or None."""
        rows = self.all(statement, **values)
        return rows[0] if rows else None

    def run(self, statement: Statement, **values: Any) -> None:
        """Run a statement that returns nothing."""
        prepared = statement.prepared(self._dialect)
        cursor = self._connection.cursor()
        try:
            cursor.execute(prepared.sql, prepared.parameters(values))
        finally:
            cursor.close()
