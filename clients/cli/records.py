"""``parley history``, ``parley verify`` and ``parley check``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from clients.cli.common import (
    DatabaseOption,
    Exit,
    ServerOption,
    TokenOption,
    console,
    fail,
    handles_errors,
    run,
    server,
)
from clients.cli.tokens import convener_token, tokens_file

# The client library is imported by each command as it runs (`parley --help` needs none of it).
FORMATS = ("markdown", "json", "csv")
ConvenerOption = typer.Option(
    False,
    "--convener",
    help="Read as the convener, with the token `parley summit run` kept next to the database.",
)


def bearer_for(token: str | None, convener: bool, database: Path, summit: str) -> str | None:
    """Return the token to read with: ``token``, or with ``--convener`` the kept one."""
    if not convener:
        return token
    kept = convener_token(database, summit)
    if kept is None:
        fail(
            f"no convener token of summit {summit} is kept in {tokens_file(database)}\n"
            "  `parley summit run` keeps it there for the summits it plays;\n"
            "  otherwise give the token with --token",
            Exit.NOT_FOUND,
        )
    return kept


@handles_errors
def history(
    summit: str = typer.Argument(..., help="The summit's id."),
    format: str = typer.Option("markdown", "--format", help="markdown, json or csv."),
    round_number: int | None = typer.Option(
        None, "--round", min=1, help="Print only this round's state and what moved in it."
    ),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
    convener: bool = ConvenerOption,
) -> None:
    """Print a summit's whole record (redacted for your token).

    Markdown is written as it is when the output is a file or a pipe, and drawn when it is
    a terminal.
    """
    from clients.async_client import AsyncParleyClient

    if format not in FORMATS:
        fail(f"--format {format!r} is not a format: use markdown, json or csv")
    bearer = bearer_for(token, convener, database, summit)

    async def fetch(base: str) -> str:
        async with AsyncParleyClient(base, bearer) as client:
            return await client.history_text(summit, format)

    if round_number is not None:
        from clients.cli.report import print_round

        with server(server_url, database, read_only=True) as base:
            print_round(summit, round_number, base, bearer)
        return
    with server(server_url, database, read_only=True) as base:
        text = run(lambda: fetch(base))
    if format == "markdown" and sys.stdout.isatty():
        from rich.markdown import Markdown

        console.print(Markdown(text))
        return
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@handles_errors
def verify(
    summit: str = typer.Argument(..., help="The summit's id."),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
    convener: bool = ConvenerOption,
) -> None:
    """Recompute a summit's hash chain (the convener's right); exit 3 if it is broken."""
    from clients.async_client import AsyncParleyClient

    bearer = bearer_for(token, convener, database, summit)
    if bearer is None:
        fail(
            "verifying a record takes the convener's token: add --convener (the token "
            "`parley summit run` kept) or --token TOKEN"
        )

    async def ask(base: str) -> Any:
        async with AsyncParleyClient(base, bearer) as client:
            return await client.verify(summit)

    with server(server_url, database, read_only=True) as base:
        result = run(lambda: ask(base))
    if result.valid:
        console.print(f"summit {summit}: the record of {result.events} events verifies")
        return
    console.print(
        f"summit {summit}: the record does NOT verify; first bad event {result.first_bad_seq}"
    )
    raise typer.Exit(int(Exit.VIOLATION))


def read_package(path: Path) -> dict[str, Any]:
    """Read a package (JSON or YAML; ``{package: {...}}`` works too) or fail saying where."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: no such file", Exit.NOT_FOUND)
    except OSError as error:
        fail(f"{path}: cannot be read ({error.strerror})", Exit.NOT_FOUND)
    loaded: Any
    if path.suffix == ".json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            fail(f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})")
    else:
        import yaml

        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            place = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
            problem = getattr(error, "problem", None) or str(error)
            fail(f"{path}{place}: not valid YAML or JSON ({problem})")
    if isinstance(loaded, dict) and set(loaded) == {"package"}:
        loaded = loaded["package"]
    if not isinstance(loaded, dict) or not loaded:
        fail(
            f"{path}: a package is a mapping from issue keys to values, "
            'e.g. {"dam_height": "medium", "dry_season_flow": 55}'
        )
    return {str(key): value for key, value in loaded.items()}


@handles_errors
def check(
    summit: str = typer.Argument(..., help="The summit's id."),
    package: Path = typer.Option(..., "--package", help="A JSON or YAML file with a package."),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Check a package against every active red line of every party; exit 3 if one breaks."""
    from clients.async_client import AsyncParleyClient
    from clients.cli.view import check_table

    loaded = read_package(package)

    async def ask(base: str) -> Any:
        async with AsyncParleyClient(base, token) as client:
            return await client.check(summit, loaded)

    with server(server_url, database, read_only=True) as base:
        report = run(lambda: ask(base))
    if as_json:
        print(json.dumps(report.model_dump(exclude_none=True), indent=2))
    else:
        console.print(check_table(report))
    raise typer.Exit(int(Exit.OK if report.verdict == "clear" else Exit.VIOLATION))
