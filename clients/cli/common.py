"""What the commands share: a server (given or embedded), running coroutines, plain errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console

from clients.embedded import embedded_server
from clients.errors import ApiError, ParleyError
from clients.scenario import ScenarioError
from clients.script import ScriptError

T = TypeVar("T")
console = Console()
errors = Console(stderr=True)

ServerOption = typer.Option(
    None,
    "--server",
    help="A running Parley server's URL; without it, an embedded server is started.",
)
DatabaseOption = typer.Option(
    Path("parley.db"),
    "--database",
    help="The SQLite file of the embedded server (as `parley serve`).",
)
TokenOption = typer.Option(
    None, "--token", envvar="PARLEY_TOKEN", help="A bearer token to act or read with."
)


@contextmanager
def server(url: str | None, database: Path) -> Iterator[str]:
    """Yield the given server's URL, or start an embedded one on ``database`` for the block."""
    if url:
        yield url.rstrip("/")
        return
    status = console.status(f"starting an embedded server on {database}")
    status.start()
    try:
        with embedded_server(database) as base:
            status.stop()
            yield base
    finally:
        status.stop()


def run(work: Callable[[], Coroutine[object, object, T]]) -> T:
    """Run a coroutine, turning Parley's errors into a message and exit status 1."""
    try:
        return asyncio.run(work())
    except (ScenarioError, ScriptError) as error:
        errors.print(f"[bold red]error:[/] {error}")
        raise typer.Exit(1) from None
    except ApiError as error:
        errors.print(f"[bold red]{error.status} {error.code}:[/] {error.message}")
        if error.details:
            errors.print(error.details)
        raise typer.Exit(1) from None
    except ParleyError as error:
        errors.print(f"[bold red]error:[/] {error}")
        raise typer.Exit(1) from None
