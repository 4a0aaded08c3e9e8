"""Bring a database to the newest schema revision with Alembic, safely from many workers."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from service.db.engine import WRITE_OPTION, Database

# Any constant works; it names the PostgreSQL advisory lock that serialises migrations.
_MIGRATION_LOCK = 7_141_652_112


def alembic_config() -> Config:
    """Return an Alembic configuration pointing at the shipped migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(files("migrations")))
    return config


def migrate(database: Database, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``; concurrent callers wait for each other.

    On PostgreSQL an advisory lock serialises workers starting together; on SQLite the
    migration's transaction begins IMMEDIATE, which does the same.
    """
    config = alembic_config()
    engine = database.engine.execution_options(**{WRITE_OPTION: True})
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
