"""Records and their tables, declared once; the naming convention Alembic names constraints by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, TypeVar, dataclass_transform, get_args, get_type_hints

from sqlalchemy import JSON, Column, DateTime, Dialect, MetaData, Table
from sqlalchemy.schema import SchemaItem
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


metadata = MetaData(naming_convention=NAMING_CONVENTION)

R = TypeVar("R")
_COLUMN = "parley_column"


def column(*args: Any, default: Any = MISSING, **options: Any) -> Any:
    """Declare a record's field a column of its table: ``args`` and ``options`` as for Column.

    A field without a ``default`` is required. The column is NOT NULL unless the field's type
    admits None (or ``nullable`` says otherwise).
    """
    return field(default=default, metadata={_COLUMN: (args, options)})


@dataclass_transform(kw_only_default=True, field_specifiers=(column,))
def table(name: str, *extras: SchemaItem) -> Callable[[type[R]], type[R]]:
    """Declare a record class (a slotted dataclass) and its table ``name``, one column a field.

    The one declaration of each table: repositories build records from rows and write them
    with explicit statements, so nothing tracks them (no ORM session, no instrumentation; an
    ORM-mapped record cost 5 µs to build, and a proposal made about 39 instrumented attribute
    sets).
    ``extras`` are the table's constraints and indexes.
    """

    def declare(cls: type[R]) -> type[R]:
        record = dataclass(slots=True, kw_only=True)(cls)
        hints = get_type_hints(record)
        columns = []
        for item in fields(record):  # type: ignore[arg-type]
            args, options = item.metadata[_COLUMN]
            if not options.get("primary_key"):
                options = {"nullable": _admits_none(hints[item.name]), **options}
            if item.default is not MISSING and item.default is not None:
                # The field's default is the column's too, for an INSERT that leaves it out.
                options = {"default": item.default, **options}
            columns.append(Column(item.name, *args, **options))
        record.__table__ = Table(name, metadata, *columns, *extras)  # type: ignore[attr-defined]
        return record

    return declare


def table_of(record: type[Any]) -> Table:
    """Return the table a record class was declared with (see ``table``)."""
    found: Table = record.__table__
    return found


def _admits_none(hint: Any) -> bool:
    return hint is Any or type(None) in get_args(hint)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC (naive on SQLite, which keeps no zone)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JSONValue(TypeDecorator[Any]):
    """JSON where a Python None is stored as SQL NULL."""

    impl = JSON(none_as_null=True)
    cache_ok = True
