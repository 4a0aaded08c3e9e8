"""``parley history`` and ``parley check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
import yaml

from clients.cli.common import (
    DatabaseOption,
    ServerOption,
    TokenOption,
    console,
    errors,
    run,
    server,
)
from clients.cli.view import check_table
from clients.client import AsyncParleyClient


def history(
    summit: str = typer.Argument(..., help="The summit's id."),
    format: str = typer.Option("markdown", "--format", help="markdown, json or csv."),
    round_number: int | None = typer.Option(
        None, "--round", min=1, help="Print only this round's state and what moved in it."
    ),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
) -> None:
    """Print a summit's whole record (redacted for your token)."""
    if format not in ("markdown", "json", "csv"):
        raise typer.BadParameter("format is markdown, json or csv", param_hint="--format")

    async def fetch(base: str) -> str:
        async with AsyncParleyClient(base, token) as client:
            return await client.history_text(summit, format)

    if round_number is not None:
        from clients.cli.report import print_round

        with server(server_url, database) as base:
            print_round(summit, round_number, base, token)
        return
    with server(server_url, database) as base:
        text = run(lambda: fetch(base))
    if format == "markdown":
        from rich.markdown import Markdown

        console.print(Markdown(text))
    else:
        print(text)


def check(
    summit: str = typer.Argument(..., help="The summit's id."),
    package: Path = typer.Option(..., "--package", help="A JSON or YAML file with a package."),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Check a package against every active red line of every party."""
    try:
        loaded: Any = yaml.safe_load(package.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        errors.print(f"[bold red]error:[/] cannot read {package}: {error}")
        raise typer.Exit(1) from None
    if isinstance(loaded, dict) and set(loaded) == {"package"}:
        loaded = loaded["package"]
    if not isinstance(loaded, dict):
        errors.print(f"[bold red]error:[/] {package} must hold a mapping from issues to values")
        raise typer.Exit(1)

    async def ask(base: str) -> Any:
        async with AsyncParleyClient(base, token) as client:
            return await client.check(summit, loaded)

    with server(server_url, database) as base:
        report = run(lambda: ask(base))
    if as_json:
        print(json.dumps(report.model_dump(exclude_none=True), indent=2))
    else:
        console.print(check_table(report))
    raise typer.Exit(0 if report.verdict == "clear" else 3)
