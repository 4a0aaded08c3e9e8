"""Fixtures: a freshly migrated database per test (SQLite, or PostgreSQL when
PARLEY_TEST_DATABASE_URL is set) and the app served through httpx's ASGITransport."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from service.api.app import create_app
from service.db.base import Base
from service.db.engine import Database
from service.db.migrate import migrate
from service.settings import Settings

PG_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")


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
    db = Database(PG_URL)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    migrate(db)
    yield db
    db.dispose()


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path, pg_database: Database | None) -> str:
    """A migrated, empty database for one test."""
    if pg_database is not None:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with pg_database.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        assert PG_URL is not None
        return PG_URL
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
