"""Alembic environment: runs on the connection the service hands over, or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import service.db.models  # noqa: F401  (registers the tables on the metadata)
from service.db.base import metadata
from service.db.engine import create_engine
from service.settings import get_settings

config = context.config
target_metadata = metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    # `alembic -x url=...` wins; otherwise the service's own setting (PARLEY_DATABASE_URL).
    return context.get_x_argument(as_dictionary=True).get("url") or get_settings().database_url


def run_offline() -> None:
    url = _url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = create_engine(_url())
    with engine.connect() as connection:
        _configure(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
