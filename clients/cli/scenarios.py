"""``parley scenarios list`` and ``parley scenarios show``."""

from __future__ import annotations

import typer
from rich.table import Table

from clients.cli.common import console, errors
from clients.cli.view import scenario_tables
from clients.scenario import ScenarioError, builtin_names, load_scenario

app = typer.Typer(
    help="The built-in scenarios (a YAML file of your own works the same way).",
    no_args_is_help=True,
)


@app.command("list")
def list_scenarios() -> None:
    """List the built-in scenarios."""
    table = Table()
    for column in ("name", "title", "parties", "issues", "rounds"):
        table.add_column(column)
    for name in builtin_names():
        scenario = load_scenario(name)
        table.add_row(
            name,
            scenario.title,
            ", ".join(party.key for party in scenario.parties),
            str(len(scenario.issues)),
            str(scenario.protocol.max_rounds),
        )
    console.print(table)


@app.command("show")
def show(name: str = typer.Argument(..., help="A built-in scenario or a YAML file.")) -> None:
    """Show a scenario: agenda, parties, red lines, sources."""
    try:
        scenario = load_scenario(name)
    except ScenarioError as error:
        errors.print(f"[bold red]error:[/] {error}")
        raise typer.Exit(1) from None
    console.print(scenario_tables(scenario))
