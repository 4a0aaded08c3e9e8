"""Engines and transactions: SQLite (WAL, writers serialised) or PostgreSQL (row locks).

A write transaction on SQLite begins with ``BEGIN IMMEDIATE`` so that concurrent writers
queue on the database lock instead of failing mid-transaction; reads begin deferred and run
in parallel with a writer thanks to WAL. On PostgreSQL a writer locks its summit's row.
A writer waits for its lock at most ``write_lock_seconds``; past that the transaction does
nothing and raises ``Busy``. Database work runs in the database's own threads, except short
work on SQLite, which runs on the event loop when it cannot wait (see ``Database.run``).
"""

from __future__ import annotations

import asyncio
import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import orjson
from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from service.db.transaction import Transaction
from service.domain.errors import Busy

T = TypeVar("T")
WRITE_OPTION = "parley_write"
# Threads of a SQLite database: its writers take turns anyway, and its reads are microseconds.
SQLITE_THREADS = 4
# PostgreSQL's SQLSTATE for a lock_timeout that ran out.
_PG_LOCK_NOT_AVAILABLE = "55P03"


def _json_text(value: Any) -> str:
    """Write a JSON column's value: orjson, which is several times faster than json.dumps.

    What orjson refuses (integers beyond 64 bits, keys that are not strings) json writes.
    """
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def _json_value(text: str | bytes) -> Any:
    """Read a JSON column's value (json reads what orjson refuses, such as NaN)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def normalise_url(url: str) -> URL:
    """Parse a database URL; a bare ``postgresql://`` URL gets the psycopg (3) driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_engine(url: str, *, pool_size: int = 10, write_lock_seconds: float = 5.0) -> Engine:
    """Create an engine configured for the service's transaction discipline."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, write_lock_seconds)
    engine = sa_create_engine(
        parsed,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        json_serializer=_json_text,
        json_deserializer=_json_value,
    )
    lock_timeout_ms = int(write_lock_seconds * 1000)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {lock_timeout_ms}")

    return engine


def _sqlite_engine(url: URL, write_lock_seconds: float) -> Engine:
    busy_ms = int(write_lock_seconds * 1000)
    memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": write_lock_seconds},
        # Every transaction here ends in an explicit commit or rollback: no reset needed.
        "pool_reset_on_return": None,
        "json_serializer": _json_text,
        "json_deserializer": _json_value,
    }
    if memory:
        kwargs["poolclass"] = StaticPool
    engine = sa_create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not the driver, decide how transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        driver = connection.connection.dbapi_connection
        if driver.in_transaction:
            return  # a Database transaction began it on the driver: SQLAlchemy joins it
        _sqlite_begin(driver, connection.get_execution_options().get(WRITE_OPTION, False))

    return engine


def _sqlite_begin(driver: sqlite3.Connection, write: bool, *, nowait: bool = False) -> None:
    """Begin a transaction on a SQLite connection: IMMEDIATE (the write lock) for a write.

    On the driver itself: through SQLAlchemy's transaction, a BEGIN and COMMIT cost as much as
    a check. A ``nowait`` write takes the lock only if it is free now, and waits for nothing
    until its transaction ends (the Database then gives the connection its wait back).
    """
    sql = "BEGIN IMMEDIATE" if write else "BEGIN"
    try:
        if nowait:
            driver.execute("PRAGMA busy_timeout=0")
        driver.execute(sql)
    except sqlite3.Error as error:
        raise DBAPIError.instance(sql, (), error, sqlite3.Error) from error


def _sqlite_commit(connection: Connection, driver: sqlite3.Connection) -> None:
    """Commit a transaction that began on the driver (SQLAlchemy's, if a statement joined it)."""
    if connection.in_transaction():
        connection.commit()
        return
    try:
        driver.commit()
    except sqlite3.Error as error:
        raise DBAPIError.instance("COMMIT", (), error, sqlite3.Error) from error


class _WouldWait(Exception):
    """A write on the loop found SQLite's lock taken; nothing was done."""


def _lock_timed_out(error: OperationalError) -> bool:
    """Say whether a driver error means a lock could not be had in time."""
    original = error.orig
    if getattr(original, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    text = str(original).lower()
    return "database is locked" in text or "database table is locked" in text


class Database:
    """The engine, the two kinds of transaction the service runs, and commit listeners."""

    def __init__(self, url: str, *, write_lock_seconds: float = 5.0, pool_size: int = 10) -> None:
        self.url = url
        self.write_lock_seconds = write_lock_seconds
        self.engine = create_engine(url, pool_size=pool_size, write_lock_seconds=write_lock_seconds)
        self.dialect = self.engine.dialect.name
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self.listeners: list[Callable[[str, str], None]] = []
        sqlite = self.dialect == "sqlite"
        # SQLite has one writer at a time: this process's writers queue here, where a release
        # wakes the next at once, rather than in SQLite's busy handler, which sleeps and polls.
        self._writer = threading.Lock() if sqlite else None
        # Database work runs in this database's own threads (on SQLite each keeps one
        # connection for reads: a connection object per transaction costs more than SQLite
        # takes to run a check). Reads have threads of their own, so writers waiting for a
        # lock never hold up a read. SQLite's writers, which take turns, share one connection:
        # SQLite empties a connection's page cache whenever another one has written, so with
        # a connection per writer thread a proposal took 485 µs instead of 383 µs.
        threads = SQLITE_THREADS if sqlite else pool_size
        self._readers = ThreadPoolExecutor(threads, thread_name_prefix="parley-read")
        self._writers = ThreadPoolExecutor(threads, thread_name_prefix="parley-write")
        self._write_connection: Connection | None = None
        self._local = threading.local()
        self._kept: list[Connection] = []
        self._kept_lock = threading.Lock()

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Transaction]:
        """Yield a transaction whose work commits on success and rolls back on any error.

        A write that cannot get its lock within ``write_lock_seconds`` raises ``Busy``.
        """
        writer = self._writer
        locked = False
        if write and writer is not None and not getattr(self._local, "holds", False):
            # Each of the two waits (this process's writers, then another process's write
            # lock) is bounded by write_lock_seconds.
            if not writer.acquire(timeout=self.write_lock_seconds):
                raise self._busy()
            locked = True
        # A write whose caller holds the writers' lock on the loop waits for nothing.
        nowait = write and writer is not None and not locked
        try:
            connection = self._open(write)
            tx = Transaction(connection)
            try:
                commit = self._begin(connection, write, nowait)
                yield tx
                tx.run_before_commit()
                commit()
            except OperationalError as error:
                self._roll_back(connection)
                if write and _lock_timed_out(error):
                    raise (_WouldWait() if nowait else self._busy()) from error
                raise
            except BaseException:
                self._roll_back(connection)
                raise
            finally:
                if nowait:
                    self._wait_again(connection)
                if writer is None:
                    connection.close()
            tx.committed(self.listeners)
        finally:
            if locked:
                assert writer is not None
                writer.release()

    def _busy(self) -> Busy:
        return Busy(
            "the database is busy with another write; nothing was changed: try again",
            retry_after=max(1, round(self.write_lock_seconds)),
            details={"waited_seconds": self.write_lock_seconds},
        )

    def _begin(self, connection: Connection, write: bool, nowait: bool) -> Callable[[], None]:
        """Begin a transaction on ``connection``; return what commits it.

        PostgreSQL's go through SQLAlchemy; SQLite's begin and commit on the driver.
        """
        if self._writer is None:
            return connection.begin().commit
        driver = cast(sqlite3.Connection, connection.connection.dbapi_connection)
        _sqlite_begin(driver, write, nowait=nowait)
        return functools.partial(_sqlite_commit, connection, driver)

    def _open(self, write: bool) -> Connection:
        """Return the connection a transaction runs on (SQLite's are kept, PostgreSQL's pooled)."""
        if self._writer is None:
            return (self._write_engine if write else self.engine).connect()
        return self._shared_writer() if write else self._connection()

    def _connection(self) -> Connection:
        """Return this thread's kept reading connection (SQLite), opening it on first use."""
        connection = self._local.connection = self._usable(getattr(self._local, "connection", None))
        return connection

    def _shared_writer(self) -> Connection:
        """Return the SQLite writers' one connection (the caller holds the writer lock)."""
        connection = self._write_connection = self._usable(self._write_connection)
        return connection

    def _usable(self, kept: Connection | None) -> Connection:
        """Return a kept connection, or a new one (kept too) if it is missing or broken."""
        if kept is not None and not kept.closed and not kept.invalidated:
            return kept
        connection = self.engine.connect()
        with self._kept_lock:
            self._kept.append(connection)
        return connection

    def _wait_again(self, connection: Connection) -> None:
        """Give a connection that wrote without waiting its wait for SQLite's lock back."""
        if connection.invalidated:
            return
        driver = cast(sqlite3.Connection, connection.connection.dbapi_connection)
        driver.execute(f"PRAGMA busy_timeout={int(self.write_lock_seconds * 1000)}")

    @staticmethod
    def _roll_back(connection: Connection) -> None:
        """Leave no transaction behind, in SQLAlchemy or in the driver.

        After a failed COMMIT, SQLAlchemy's transaction is inactive but still attached, and
        SQLite's is still open (holding the write lock): both must end, or the kept
        connection (the writers' shared one) refuses every later write.
        """
        if connection.get_transaction() is not None:
            connection.rollback()
        if connection.invalidated:
            return
        driver = connection.connection.dbapi_connection
        if driver is not None and getattr(driver, "in_transaction", False):
            driver.rollback()

    async def run(self, work: Callable[[], T], *, write: bool = True, short: bool = False) -> T:
        """Run blocking database work in one of this database's threads.

        Work that only reads (``write=False``) runs in the reading threads. ``short`` work on
        SQLite runs on the loop itself, where a transaction of a few hundred microseconds
        costs less than the hop to a thread and back (1,491 proposals/s over HTTP against
        878): a read at once, since a WAL reader never waits for a lock; a write when no other
        writer holds the lock, and otherwise in a writer thread, which waits its turn.
        """
        if short and self._writer is not None:
            if not write:
                return work()
            try:
                return self._write_now(work)
            except _WouldWait:
                pass  # another writer holds the lock: wait for it in a writer thread
        threads = self._writers if write else self._readers
        return await asyncio.get_running_loop().run_in_executor(threads, work)

    def _write_now(self, work: Callable[[], T]) -> T:
        """Run a short SQLite write here if no writer holds the lock, else raise _WouldWait.

        The write waits for nothing: if another process holds SQLite's lock at any point, its
        transaction rolls back and ``_WouldWait`` sends the work to a writer thread.
        """
        assert self._writer is not None
        if not self._writer.acquire(blocking=False):
            raise _WouldWait
        self._local.holds = True
        try:
            return work()
        finally:
            self._local.holds = False
            self._writer.release()

    def dispose(self) -> None:
        """Stop the threads and close every kept and pooled connection."""
        self._readers.shutdown(wait=True)
        self._writers.shutdown(wait=True)
        with self._kept_lock:
            kept, self._kept = self._kept, []
        for connection in kept:
            connection.close()
        self.engine.dispose()
