"""Bring a database to the newest schema revision with Alembic, safely from many workers."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import text

from service.db.engine import WRITE_OPTION, Database

if TYPE_CHECKING:
    from alembic.config import Config

# Any constant works; it names the PostgreSQL advisory lock that serialises migrations.
_MIGRATION_LOCK = 7_141_652_112


def alembic_config() -> Config:
    """Return an Alembic configuration pointing at the shipped migration scripts."""
    # Alembic is imported here, not at the top: ~0.1 s that a server started with
    # auto_migrate off, or a process that never migrates, does not spend.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("migrations")))
    return config


def migrate(database: Database, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``; concurrent callers wait for each other.

    On PostgreSQL an advisory lock serialises workers starting together; on SQLite the
    migration's transaction begins IMMEDIATE, which does the same.
    """
    from alembic import command

    config = alembic_config()
    engine = database.engine.execution_options(**{WRITE_OPTION: True})
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
