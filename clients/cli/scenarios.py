"""``parley scenarios list`` and ``parley scenarios show``."""

from __future__ import annotations

import typer
from rich.table import Table

from clients.cli.common import console, handles_errors
from clients.cli.view import scenario_tables

app = typer.Typer(
    help="The built-in scenarios (a YAML file of your own works the same way).",
    no_args_is_help=True,
)


@app.command("list")
@handles_errors
def list_scenarios() -> None:
    """List the built-in scenarios."""
    from clients.scenario import builtin_names, load_scenario

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
@handles_errors
def show(name: str = typer.Argument(..., help="A built-in scenario or a YAML file.")) -> None:
    """Show a scenario: agenda, parties, red lines (and when each may relax), sources.

    The file is checked completely first, as `parley summit run` checks it: any problem
    is reported (file, line and column) with exit code 2.
    """
    from clients.scenario import load_scenario

    scenario = load_scenario(name)
    console.print(scenario_tables(scenario))
