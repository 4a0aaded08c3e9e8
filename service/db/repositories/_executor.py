"""The repositories' one executor: statements written with SQLAlchemy, run with little overhead.

Private to ``service.db.repositories``: nothing else runs SQL. On this machine SQLAlchemy's
per-execution machinery (execution context, parameter and result set-up, events) costs about
ten times what SQLite needs to run a statement: a proposal's whole transaction takes 57 µs in
sqlite3 and over 600 µs through Core. So the hot statements are written with SQLAlchemy,
compiled by it once per connection (SQL text, parameter order and style, the type conversions
from its public ``bind_processor``/``result_processor``), and executed on the DBAPI connection
of the transaction itself: same transaction, same SQL, same conversions, less overhead.
Statements that vary with their arguments (``IN`` lists) go through ``Transaction.execute``.
Every row comes back as the record (the dataclass) of its table.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Dialect, Executable, Table, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from service.db.base import table_of
from service.db.transaction import Transaction

_PREPARED = "parley_prepared"

Processor = Callable[[Any], Any]
R = TypeVar("R")


class Prepared:
    """One statement compiled for one dialect."""

    __slots__ = (
        "_binds",
        "_defaults",
        "_dialect",
        "_names",
        "_plain",
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
        self._plain = False  # no column's value needs converting (known at the first fetch)

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """Convert and order the parameters the way the driver wants them."""
        if self._defaults:
            values = {**self._defaults, **values}
        binds = self._binds
        if self._positional and not binds:
            return [values[name] for name in self._names]
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
            self._plain = all(process is None for process in processors)
        columns = self.columns
        if self._plain:
            return [dict(zip(columns, row, strict=True)) for row in raw]
        return [
            {
                key: (process(value) if process is not None else value)
                for key, process, value in zip(columns, processors, row, strict=True)
            }
            for row in raw
        ]


class Statement:
    """A statement written with SQLAlchemy; each connection compiles it once, on first use."""

    __slots__ = ("column_keys", "statement")

    def __init__(self, statement: ClauseElement, column_keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.column_keys = column_keys


class Executor:
    """Runs statements inside a transaction and returns records."""

    __slots__ = ("_connection", "_dialect", "_prepared", "tx")

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        connection = tx.connection
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        self._connection: Any = dbapi
        self._dialect: Dialect = connection.dialect
        # Compiled forms live with the pooled DBAPI connection, so they last as long as it does.
        self._prepared: dict[Hashable, Prepared] = connection.info.setdefault(_PREPARED, {})

    def _compile(self, statement: Statement) -> Prepared:
        found = self._prepared.get(statement)
        if found is None:
            found = self._prepared[statement] = Prepared(
                statement.statement, self._dialect, statement.column_keys
            )
        return found

    def update(self, table: Table, key: str, key_value: Any, changes: Mapping[str, Any]) -> None:
        """Write ``changes`` to the row whose ``key`` is ``key_value``: one UPDATE of them."""
        if not changes:
            return
        names = tuple(sorted(changes))
        cache_key = ("update", table.name, key, names)
        prepared = self._prepared.get(cache_key)
        if prepared is None:
            statement = table.update().where(table.c[key] == bindparam("_key"))
            prepared = self._prepared[cache_key] = Prepared(statement, self._dialect, list(names))
        self._execute(prepared, prepared.parameters({**changes, "_key": key_value})).close()

    def all(self, statement: Statement, **values: Any) -> list[dict[str, Any]]:
        """Run a statement and return every row as a dictionary of column values."""
        prepared = self._compile(statement)
        cursor = self._execute(prepared, prepared.parameters(values))
        try:
            if not prepared.columns:
                return []
            return prepared.rows(cursor.fetchall(), cursor.description)
        finally:
            cursor.close()

    def _execute(self, prepared: Prepared, parameters: Any) -> Any:
        """Execute on the transaction's DBAPI connection; driver errors become SQLAlchemy's."""
        cursor = self._connection.cursor()
        try:
            cursor.execute(prepared.sql, parameters)
        except self._dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise DBAPIError.instance(
                prepared.sql, parameters, error, self._dialect.loaded_dbapi.Error
            ) from error
        return cursor

    def first(self, statement: Statement, **values: Any) -> dict[str, Any] | None:
        """Run a statement and return its first row, or None."""
        rows = self.all(statement, **values)
        return rows[0] if rows else None

    def run(self, statement: Statement, **values: Any) -> None:
        """Run a statement that returns nothing."""
        prepared = self._compile(statement)
        self._execute(prepared, prepared.parameters(values)).close()

    def records(self, kind: type[R], statement: Statement, **values: Any) -> list[R]:
        """Run a SELECT of a whole table and return its rows as records."""
        return [kind(**row) for row in self.all(statement, **values)]

    def record(self, kind: type[R], statement: Statement, **values: Any) -> R | None:
        """Run a SELECT of a whole table and return its first row as a record, or None."""
        row = self.first(statement, **values)
        return None if row is None else kind(**row)

    def dynamic(self, statement: Executable) -> list[dict[str, Any]]:
        """Run a statement whose SQL depends on its arguments (through ``Transaction.execute``)."""
        return [dict(row._mapping) for row in self.tx.execute(statement)]


def values(record: object, *, without: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    """Return a record's column values for an INSERT (without its generated id)."""
    table = table_of(type(record))
    return {c.key: getattr(record, c.key) for c in table.columns if c.key not in without}


def columns(table: Any, *, without: tuple[str, ...] = ()) -> list[str]:
    """Return the column keys of a table, for an INSERT's ``column_keys``."""
    return [c.key for c in table.columns if c.key not in without]
