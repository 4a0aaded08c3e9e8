"""The ``parley`` command line."""

from __future__ import annotations

import os

import typer

from clients.cli.common import EXIT_CODES_HELP

HELP = f"Parley: run, script and review multi-party negotiations over HTTP.\n\n{EXIT_CODES_HELP}"
app = typer.Typer(
    name="parley",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(help=HELP)
def root() -> None:
    """Parley: run, script and review multi-party negotiations over HTTP."""


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes (share the database)."),
    database_url: str | None = typer.Option(
        None, "--database-url", help="SQLAlchemy URL; default PARLEY_DATABASE_URL or ./parley.db."
    ),
    log_level: str = typer.Option("info", help="Log level."),
) -> None:
    """Serve the Parley API (the same app as ``uvicorn service.main:app``)."""
    import uvicorn

    if database_url:
        os.environ["PARLEY_DATABASE_URL"] = database_url
    # The app is named by its import path: the clients package never imports the service.
    uvicorn.run("service.main:app", host=host, port=port, workers=workers, log_level=log_level)


def _register() -> None:
    from clients.cli import records, scenarios, summit

    app.add_typer(summit.app, name="summit")
    app.add_typer(scenarios.app, name="scenarios")
    app.command("history")(records.history)
    app.command("verify")(records.verify)
    app.command("check")(records.check)


_register()


def main() -> None:
    """Run the command line."""
    app()
