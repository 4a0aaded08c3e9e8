"""``parley report`` (the debrief as one HTML file) and one round's review for ``history``.

The service writes the report (it holds the privacy rules and the solver); this command
saves what it answers for your token, so the file is the one the convener's console serves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

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
from clients.cli.records import ConvenerOption, bearer_for

# The client library is imported as a command runs (`parley --help` needs none of it).


@handles_errors
def report(
    summit: str = typer.Argument(..., help="The summit's id."),
    out: Path = typer.Option(..., "--out", help="The HTML file to write."),
    party: list[str] = typer.Option(
        [], "--party", help="The two parties of the utility plane (give it twice)."
    ),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds for the solver's measures (the server's limit)."
    ),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
    convener: bool = ConvenerOption,
) -> None:
    """Write a summit's debrief: one HTML file that opens offline, redacted for your token."""
    from clients import endpoints
    from clients.async_client import AsyncParleyClient

    bearer = bearer_for(token, convener, database, summit)

    async def fetch(base: str) -> str:
        async with AsyncParleyClient(base, bearer) as client:
            return await client.send(endpoints.report(summit, party, time_limit))

    with server(server_url, database, read_only=True) as base:
        html = run(lambda: fetch(base))
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {out}: {error}", Exit.USAGE)
    console.print(f"wrote {out} ({len(html) // 1024} KiB)")


def _value(value: Any) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def round_tables(state: dict[str, Any], diff: dict[str, Any] | None) -> list[Table]:
    """Return one round's proposals, responses, concessions and moves as tables."""
    issues = [issue["key"] for issue in state["agenda"]["issues"]]
    current = state["round"]
    proposals = Table(title=f"Round {current['number']}: proposals ({current['phase']})")
    for heading in ("id", "by", *issues, "utilities"):
        proposals.add_column(heading)
    for p in current["proposals"]:
        if p.get("sealed"):
            proposals.add_row(str(p["id"]), p["party"] or "mediator", "sealed")
            continue
        utilities = ", ".join(f"{k} {v:.3f}" for k, v in p.get("utilities", {}).items())
        values = [_value(p["package"].get(key)) for key in issues]
        proposals.add_row(str(p["id"]), p["party"] or "mediator", *values, utilities)
    responses = Table(title="Responses")
    for heading in ("proposal", "by", "verdict", "note"):
        responses.add_column(heading)
    for r in current["responses"]:
        responses.add_row(str(r["proposal"]), r["party"], r["verdict"], r.get("note") or "")
    concessions = Table(title="Concessions this round")
    for heading in ("by", "kind", "what", "note"):
        concessions.add_column(heading)
    for c in current["concessions"]:
        what = (
            f"red line {c.get('red_line')}"
            if c["kind"] == "red_line"
            else f"{c.get('issue')}: {_value(c.get('from'))} → {_value(c.get('to'))}"
        )
        concessions.add_row(c["party"], c["kind"], what, c.get("note") or "")
    tables = [proposals, responses, concessions]
    if diff is not None:
        moves = Table(title=f"Moved since round {diff['from']['round']}")
        for heading in ("party", "issue", "from", "to"):
            moves.add_column(heading)
        for party, entry in diff["parties"].items():
            for move in entry["moved"]:
                moves.add_row(party, move["issue"], _value(move["from"]), _value(move["to"]))
        tables.append(moves)
    return tables


def print_round(summit: str, round_number: int, base: str, token: str | None) -> None:
    """Print one round's state and what moved since the round before."""
    from clients import endpoints
    from clients.async_client import AsyncParleyClient

    async def fetch() -> tuple[dict[str, Any], dict[str, Any] | None]:
        async with AsyncParleyClient(base, token) as client:
            state = await client.send(endpoints.state(summit, round_number))
            diff = None
            if round_number > 1:
                diff = await client.send(endpoints.diff(summit, round_number - 1, round_number))
            return state, diff

    state, diff = run(fetch)
    settlement = state.get("settlement")
    console.print(
        f"[bold]{state['agenda']['title']}[/] · round {round_number} · "
        f"{state['at']['status']} · event {state['at']['seq']}"
        + (f" · settled by proposal {settlement['proposal']}" if settlement else "")
    )
    for table in round_tables(state, diff):
        console.print(table)
