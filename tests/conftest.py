"""Fixtures: a freshly migrated database per test (SQLite, or PostgreSQL when
PARLEY_TEST_DATABASE_URL is set), the app served through httpx's ASGITransport, and real
uvicorn servers: ``server`` is shared by the tests of one module (each opens summits of its
own), on a database of that module's, since starting uvicorn costs more than most tests;
``fresh_server`` is one test's own, on the test's database, for a test that must see no other
test's summits.

Under pytest-xdist each worker has PostgreSQL databases of its own (created here on the server
of PARLEY_TEST_DATABASE_URL), so workers never truncate each other's tables.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import is_hypothesis_test
from sqlalchemy import create_engine, make_url, text

from service.api.app import create_app
from service.db.base import metadata
from service.db.engine import Database
from service.db.migrate import migrate
from service.settings import Settings
from tests.served import launch, shut_down, stop

PG_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")
# "gw0", "gw1", ... under pytest-xdist; unset in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if WORKER is not None:
    # An xdist worker starts with COLUMNS=80 in its environment, which a Rich console created
    # at import would keep for good; the tests that need a width give it per command, as in a
    # plain run.
    os.environ.pop("COLUMNS", None)


def pg_database_of_worker(purpose: str = "") -> str:
    """The URL of this worker's PostgreSQL database for ``purpose``, created if missing.

    A plain run (no xdist) with no purpose uses PARLEY_TEST_DATABASE_URL's database itself.
    """
    assert PG_URL is not None
    base = make_url(PG_URL)
    suffix = "_".join(part for part in (WORKER, purpose) if part)
    if not suffix:
        return PG_URL
    name = f"{base.database}_{suffix}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def fresh_pg_database(url: str) -> Database:
    """Empty the PostgreSQL database at ``url`` and migrate it from nothing."""
    db = Database(url)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    migrate(db)
    return db


def truncate_all(db: Database) -> None:
    """Delete every row of every table (PostgreSQL), restarting the sequences."""
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


# Fixtures that start a process of their own (uvicorn, Chromium): a module using one is long.
_STARTS_A_PROCESS = {"server", "fresh_server", "browser"}


def _weight(item: pytest.Item) -> int:
    """0 for a test that starts a server or a browser, 1 for a hypothesis property, else 2."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & _STARTS_A_PROCESS or item.get_closest_marker("e2e") is not None:
        return 0
    return 1 if is_hypothesis_test(getattr(item, "obj", None)) else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the long modules first (servers or a browser, then hypothesis properties), each
    module's tests together.

    pyproject runs xdist with ``--dist loadscope`` (a module's tests on one worker, so its
    shared server and browser start once) in collection order: the long modules go first so
    that the two workers' last modules are short ones and finish together.
    """
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    ordered = sorted(modules.values(), key=lambda tests: min(map(_weight, tests)))
    items[:] = [item for tests in ordered for item in tests]


def pytest_sessionfinish() -> None:
    """End the process that forks this test process's servers (see tests/served.py)."""
    shut_down()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "parley.db"
    db = Database(f"sqlite:///{path}")
    migrate(db)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Database | None]:
    if PG_URL is None:
        yield None
        return
    db = fresh_pg_database(pg_database_of_worker())
    yield db
    db.dispose()


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path, pg_database: Database | None) -> str:
    """A migrated, empty database for one test."""
    if pg_database is not None:
        truncate_all(pg_database)
        return pg_database.url
    path = tmp_path / "parley.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, deadline_poll_seconds=0.5)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A second handle on the test database, for assertions on rows."""
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The app, started (migrations, deadline keeper, broker) for the test."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def transport(app: FastAPI) -> httpx.ASGITransport:
    """An httpx transport that calls the app in process."""
    return httpx.ASGITransport(app=app)


@pytest.fixture
async def client(transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=transport, base_url="http://parley") as http:
        yield http


@pytest.fixture(scope="session")
def pg_served_database(pg_database: Database | None) -> Iterator[Database | None]:
    """This worker's PostgreSQL database for shared servers, migrated once (None on SQLite)."""
    if pg_database is None:
        yield None
        return
    db = fresh_pg_database(pg_database_of_worker("served"))
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def module_database_url(
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    pg_served_database: Database | None,
) -> str:
    """A migrated, empty database for one module's shared server."""
    if pg_served_database is not None:
        truncate_all(pg_served_database)  # the previous module's server has stopped
        return pg_served_database.url
    path = tmp_path_factory.mktemp("served") / "parley.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def server(module_database_url: str) -> Iterator[str]:
    """A server shared by the module's tests."""
    process, url = launch(module_database_url)
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture
def fresh_server(database_url: str) -> Iterator[str]:
    """A server of the test's own, on the test's empty database."""
    process, url = launch(database_url)
    try:
        yield url
    finally:
        stop(process)
