"""Engines and transactions: SQLite (WAL, writers serialised) or PostgreSQL (row locks).

A write transaction on SQLite begins with ``BEGIN IMMEDIATE`` so that concurrent writers
queue on the database lock instead of failing mid-transaction; reads begin deferred and run
in parallel with a writer thanks to WAL. On PostgreSQL a writer locks its summit's row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

T = TypeVar("T")
WRITE_OPTION = "parley_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> URL:
    """Parse a database URL; a bare ``postgresql://`` URL gets the psycopg (3) driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Create an engine configured for the service's transaction discipline."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return sa_create_engine(parsed, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": 30},
        # Every transaction here ends in an explicit commit or rollback: no reset needed.
        "pool_reset_on_return": None,
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
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


SIGNALS = "parley_signals"
BEFORE_COMMIT = "parley_before_commit"
AFTER_COMMIT = "parley_after_commit"


def before_commit(session: Session, hook: Callable[[], None]) -> None:
    """Run ``hook`` just before the transaction commits (to write pending changes)."""
    session.info.setdefault(BEFORE_COMMIT, []).append(hook)


def after_commit(session: Session, hook: Callable[[], None]) -> None:
    """Run ``hook`` once the transaction has committed (never if it rolls back)."""
    session.info.setdefault(AFTER_COMMIT, []).append(hook)


def signal(session: Session, kind: str, summit_id: str) -> None:
    """Queue a signal (``event``: the log grew; ``deadline``: a phase deadline moved).

    Listeners of the Database hear each queued signal once, after the transaction commits,
    and never when it rolls back.
    """
    session.info.setdefault(SIGNALS, set()).add((kind, summit_id))


def signalled(session: Session, kind: str, summit_id: str) -> bool:
    """Say whether this transaction has already queued that signal."""
    return (kind, summit_id) in session.info.get(SIGNALS, set())


class Database:
    """The engine, the two kinds of transaction the service runs, and commit listeners."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.dialect = self.engine.dialect.name
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self.listeners: list[Callable[[str, str], None]] = []
        self._local = threading.local()

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Session]:
        """Yield a session whose work commits on success and rolls back on any error."""
        if self.inline:
            with self._kept_transaction(write) as session:
                yield session
            return
        session = (self._write if write else self._read)()
        try:
            yield session
            for hook in session.info.get(BEFORE_COMMIT, []):
                hook()
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        self._after(session)

    @contextmanager
    def _kept_transaction(self, write: bool) -> Iterator[Session]:
        """Run a transaction on this thread's kept connection (inline databases only).

        Inline work is serial on one thread, so it keeps one connection rather than
        borrowing from the pool and building a new connection object for each transaction.
        """
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed:
            connection = self._local.connection = self.engine.connect()
        connection.execution_options(**{WRITE_OPTION: write})
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="rollback_only")
        session.expire_on_commit = False
        try:
            yield session
            for hook in session.info.get(BEFORE_COMMIT, []):
                hook()
            session.flush()
            outer.commit()
        except BaseException:
            session.rollback()
            if outer.is_active:
                outer.rollback()
            raise
        finally:
            session.close()
        self._after(session)

    @contextmanager
    def raw_connection(self) -> Iterator[Any]:
        """Lend a DBAPI connection outside any transaction, for a single statement.

        Inline databases lend this thread's kept connection (idle between transactions, in
        autocommit); others lend a pooled one.
        """
        if self.inline:
            connection = getattr(self._local, "connection", None)
            if connection is None or connection.closed:
                connection = self._local.connection = self.engine.connect()
            yield connection.connection.dbapi_connection
            return
        pooled = self.engine.raw_connection()
        try:
            yield pooled
        finally:
            pooled.close()

    def _after(self, session: Session) -> None:
        signals = sorted(session.info.get(SIGNALS, set()))
        hooks: list[Callable[[], None]] = session.info.get(AFTER_COMMIT, [])
        for hook in hooks:
            hook()
        for kind, summit_id in signals:
            for listener in self.listeners:
                listener(kind, summit_id)

    @property
    def inline(self) -> bool:
        """Say whether work on this database runs on the event loop itself.

        SQLite is a library in this process: its reads take microseconds and its writers
        are serialised anyway, so running them inline costs less than a hop to a worker
        thread (which, under the GIL, more than halves a worker's throughput). PostgreSQL
        is reached over the network and serves many connections at once: its work runs in
        the thread pool.
        """
        return self.dialect == "sqlite"

    async def run(self, work: Callable[[], T]) -> T:
        """Run blocking database work the way this database wants (see ``inline``)."""
        if self.inline:
            return work()
        return await anyio.to_thread.run_sync(work)

    def dispose(self) -> None:
        """Close every pooled connection (and this thread's kept one)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
        self.engine.dispose()
