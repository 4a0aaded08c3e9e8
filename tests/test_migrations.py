"""The schema comes only from migrations: they must agree with the models exactly."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from service.db.base import metadata
from service.db.engine import Database
from service.db.migrate import alembic_config, migrate


def diff(database: Database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_the_migrated_schema_matches_the_models(database):
    assert diff(database) == []


def test_migrations_go_down_to_nothing_and_back_up(database):
    config = alembic_config()
    with database.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        connection.commit()
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    migrate(database)
    assert diff(database) == []
    assert set(metadata.tables) <= set(inspect(database.engine).get_table_names())


def test_migrating_twice_is_harmless(database):
    migrate(database)
    migrate(database)
    assert diff(database) == []
