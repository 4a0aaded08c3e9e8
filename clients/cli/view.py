"""Rich views: the closing summary of a run, scenario and check tables (the board: board.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from clients.cli.board import possessive

if TYPE_CHECKING:  # annotations only
    from clients.models import CheckReport
    from clients.runner import RunResult
    from clients.scenario import Scenario


def summary(result: RunResult, server_hint: str) -> Group:
    """Draw the closing summary: outcome, settlement, utilities, concessions, how to review."""
    summit = result.summit
    head = Table.grid(padding=(0, 2))
    head.add_row("outcome", f"[bold]{summit.outcome}[/] after {summit.rounds_played} round(s)")
    author = _settled_by(result)
    if author is not None:
        head.add_row("settled on", author)
    if result.settlement_rule:
        head.add_row("by the rule", result.settlement_rule)
    if result.mediator_texts:
        met = [str(number) for number, meets in result.mediator_texts if meets]
        head.add_row(
            "mediator",
            f"{len(result.mediator_texts)} text(s); meeting every demand in round(s) "
            + (", ".join(met) or "none"),
        )
    head.add_row(
        "record",
        f"{result.verification.events} events, chain "
        + ("valid" if result.verification.valid else "BROKEN"),
    )
    parts: list[Any] = [head]
    if summit.settlement:
        settlement = Table(title="Settlement")
        settlement.add_column("issue")
        settlement.add_column("value")
        for key, value in summit.settlement.items():
            settlement.add_row(key, str(value).lower() if isinstance(value, bool) else str(value))
        parts.append(settlement)
    parties = Table(title="Parties")
    for column in ("party", "utility of the outcome", "concessions"):
        parties.add_column(column)
    for party in summit.parties:
        utility = result.utilities.get(party.key)
        parties.add_row(
            party.name,
            "—" if utility is None else f"{utility:.3f}",
            str(result.concessions.get(party.key, 0)),
        )
    parts.append(parties)
    parts.append(f"Review it: [bold]parley history {summit.id}{server_hint}[/]")
    parts.append(
        f"Debrief: [bold]parley report {summit.id} --out debrief.html{server_hint} --convener[/]"
    )
    return Group(*parts)


def _settled_by(result: RunResult) -> str | None:
    chosen = result.summit.settlement_proposal
    names = {party.key: party.name for party in result.summit.parties}
    for played in result.history.rounds:
        for proposal in played.proposals:
            if proposal.id == chosen:
                author = proposal.party
                return (
                    "the mediator's text"
                    if author is None
                    else f"{possessive(names[author])} proposal"
                )
    return None


def scenario_tables(scenario: Scenario) -> Group:
    """Draw a scenario in full: agenda, parties, red lines, notes."""
    agenda = Table(title=f"{scenario.title} — agenda")
    for column in ("issue", "kind", "values", "description"):
        agenda.add_column(column)
    for issue in scenario.issues:
        if issue.kind == "options":
            values = " < ".join(issue.options or [])
        elif issue.kind == "integer":
            values = f"{issue.min}..{issue.max}"
        else:
            values = "true / false"
        agenda.add_row(issue.key, issue.kind, values, issue.description)
    lines = Table(title="Parties and red lines")
    for column in ("party", "red line", "expression", "visibility", "relaxable from"):
        lines.add_column(column)
    for party in scenario.parties:
        for red_line in party.red_lines:
            relax = f"round {red_line.relax.after_round}" if red_line.relax else "never"
            lines.add_row(
                f"{party.name} ({party.strategy})",
                red_line.label,
                red_line.expr,
                red_line.visibility,
                relax,
            )
    parts: list[Any] = [scenario.summary, agenda, lines]
    if scenario.notes:
        parts.append(Panel(scenario.notes.strip(), title="Notes and sources"))
    return Group(*parts)


def check_table(report: CheckReport) -> Table:
    """Draw a check report as a table."""
    table = Table(
        title=f"verdict: {report.verdict}{'' if report.complete else ' (partial package)'}"
    )
    for column in ("red line", "party", "status", "why"):
        table.add_column(column)
    for entry in report.red_lines:
        name = entry.label or f"#{entry.id} ({entry.visibility})"
        table.add_row(name, entry.party, entry.status, entry.explanation or "")
    return table
