"""The Database's transactions: where short work runs, and what a rollback leaves."""

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from service.db.engine import Database
from service.db.repositories.summits import SummitRepository
from tests.db.test_repositories import summit

pytestmark = pytest.mark.anyio


def inserting(db: Database, summit_id: str, threads: list[str]):
    """A write job that records the thread it ran in."""

    def job() -> str:
        threads.append(threading.current_thread().name)
        with db.transaction(write=True) as tx:
            SummitRepository(tx).insert(summit(summit_id))
        return summit_id

    return job


def stored_ids(db: Database) -> set[str]:
    with db.transaction(write=False) as tx:
        rows, _total = SummitRepository(tx).page(status=None, limit=50, offset=0)
    return {row.id for row in rows}


async def test_a_short_write_runs_on_the_loop_when_no_writer_holds_the_lock(database):
    threads: list[str] = []
    assert await database.run(inserting(database, "s-loop", threads), short=True) == "s-loop"
    if database.dialect == "sqlite":
        assert threads == [threading.current_thread().name]
    else:  # a PostgreSQL write may wait for a row lock: always in the database's threads
        assert len(threads) == 1
        assert threads[0].startswith("parley-write")
    assert "s-loop" in stored_ids(database)


async def test_a_short_write_waits_in_a_thread_while_another_database_holds_the_lock(
    database_url, database
):
    other = Database(database_url, write_lock_seconds=5)
    threads: list[str] = []
    holder = database.transaction(write=True)  # SQLite's lock, held by another connection
    holder.__enter__()
    try:
        pending = other.run(inserting(other, "s-thread", threads), short=True)
        released = threading.Timer(0.2, lambda: holder.__exit__(None, None, None))
        released.start()
        assert await pending == "s-thread"
        released.join()
        if database.dialect == "sqlite":
            # Tried on the loop (the lock was taken: nothing done), then waited its turn in a
            # writer thread.
            assert threads[0] == threading.current_thread().name
            assert len(threads) == 2
            assert threads[1].startswith("parley-write")
        else:
            assert len(threads) == 1
            assert threads[0].startswith("parley-write")
        assert "s-thread" in stored_ids(other)
    finally:
        other.dispose()


def orphan_party(database: Database) -> None:
    """A write that breaks a foreign key.

    On SQLite the key is checked at COMMIT (deferred), which then fails with SQLite's
    transaction still open; on PostgreSQL the INSERT itself fails.
    """
    with database.transaction(write=True) as tx:
        if database.dialect == "sqlite":
            tx.execute(text("PRAGMA defer_foreign_keys=ON"))
        tx.execute(
            text("INSERT INTO party (summit_id, key, name, position) VALUES ('nope', 'a', 'A', 0)")
        )


def test_a_write_whose_commit_fails_leaves_the_writers_able_to_write(database):
    with pytest.raises(IntegrityError):
        orphan_party(database)
    for summit_id in ("s-after-1", "s-after-2"):
        with database.transaction(write=True) as tx:
            SummitRepository(tx).insert(summit(summit_id))
    assert {"s-after-1", "s-after-2"} <= stored_ids(database)
