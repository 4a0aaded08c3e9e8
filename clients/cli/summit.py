"""``parley summit run``, ``parley summit watch`` and ``parley summit list``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import RenderableType
from rich.live import Live
from rich.table import Table

from clients.cli.board import Board, look
from clients.cli.common import (
    DatabaseOption,
    ServerOption,
    TokenOption,
    console,
    fail,
    handles_errors,
    run,
    server,
)
from clients.cli.tokens import keep_convener_token
from clients.cli.view import summary

if TYPE_CHECKING:
    from clients.async_client import AsyncParleyClient
    from clients.delegation import MoveNote
    from clients.models import Summit, SummitSummary
    from clients.runner import RunOptions, RunResult
    from clients.scenario import Scenario
    from clients.script import Script
# The client library, the runner and the strategies are imported as a command runs
# (`parley --help` needs none of them).

app = typer.Typer(help="Run, watch or list summits.", no_args_is_help=True)


def _overrides(pairs: list[str], scenario: Scenario) -> dict[str, str]:
    from clients.strategies import STRATEGIES

    parties = [party.key for party in scenario.parties]
    playable = sorted(name for name in STRATEGIES if name != "scripted")
    out = {}
    for pair in pairs:
        party, _, name = pair.partition("=")
        if not party or not name:
            fail(f"--strategy {pair!r}: write party=strategy, e.g. {parties[0]}=conceder")
        if party not in parties:
            fail(
                f"--strategy {pair!r}: {scenario.name} has no party {party!r} "
                f"(its parties: {', '.join(parties)})"
            )
        if name not in playable:
            fail(f"--strategy {pair!r}: no strategy {name!r} (known: {', '.join(playable)})")
        out[party] = name
    return out


def _options(
    chosen: Scenario, strategy: list[str], script: str | None, mediator: str | None
) -> tuple[dict[str, str], Script | None]:
    from clients.script import ScriptError, load_script
    from clients.strategies.mediator import OBJECTIVES
    from clients.validation import script_problems

    if mediator is not None and mediator not in OBJECTIVES:
        fail(f"--mediator {mediator!r}: use one of {', '.join(OBJECTIVES)}")
    if mediator is not None and script is not None:
        fail("--mediator and --script: a script plays every move itself; give one of them")
    overrides = _overrides(strategy, chosen)
    loaded = load_script(script) if script else None
    if loaded is not None:
        problems = script_problems(loaded, chosen)
        if problems:
            raise ScriptError("\n".join(problem.located(loaded.source) for problem in problems))
    return overrides, loaded


@app.command("run")
@handles_errors
def run_summit(
    scenario: str = typer.Argument(
        ..., help="A built-in scenario name (see `parley scenarios list`) or a YAML file."
    ),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    rounds: int | None = typer.Option(
        None, "--rounds", min=1, help="Override the scenario's max_rounds."
    ),
    strategy: list[str] = typer.Option(
        [], "--strategy", help="party=NAME: play a party with another strategy."
    ),
    script: str | None = typer.Option(
        None, "--script", help="A script file (or a built-in script's name) to play exactly."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the strategies' tie-breaks."),
    phase_seconds: float | None = typer.Option(
        None, "--phase-seconds", help="Deadline of each phase."
    ),
    pace: float = typer.Option(
        0.0, "--pace", min=0.0, help="Seconds each delegation waits before each move (for a room)."
    ),
    admin_token: str | None = typer.Option(
        None,
        "--admin-token",
        envvar="PARLEY_ADMIN_TOKEN",
        help="For servers that guard summit creation.",
    ),
    mediator: str | None = typer.Option(
        None,
        "--mediator",
        help="nash, maximin, welfare or kalai: the convener mediates, tabling the solver's "
        "best text each round (a mediated summit).",
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No live board; print the summary only."),
    human: list[str] = typer.Option(
        [], "--human", help="PARTY: a person plays it in a browser (its seat link is printed)."
    ),
) -> None:
    """Play a scenario: every delegation runs as its own client with only its own token.

    The scenario (and script) are checked completely before any server starts. The
    convener's token is kept next to the database (mode 600) for `parley history
    --convener` and `parley verify`.
    """
    from clients.runner import RunOptions, strategy_for
    from clients.scenario import load_scenario

    chosen = load_scenario(scenario)
    overrides, loaded = _options(chosen, strategy, script, mediator)
    options = RunOptions(
        rounds=rounds,
        strategies=overrides,
        script=loaded,
        seed=seed,
        phase_seconds=phase_seconds,
        admin_token=admin_token,
        mediator=mediator,
        pace=pace,
    )
    names = {p.key: type(strategy_for(chosen, p.key, options)).name for p in chosen.parties}
    if loaded is not None:
        names = {key: f"{name}, scripted" for key, name in names.items()}
    if mediator is not None:
        names["mediator"] = f"mediator ({mediator})"
    if human:
        from clients.cli.open import play_with_people

        with server(server_url, database) as base:
            play_with_people(
                chosen, base, people=human, strategies=options.strategies,
                phase_seconds=phase_seconds, rounds=rounds, admin_token=admin_token, seed=seed,
            )  # fmt: skip
        return
    hint = f" --server {server_url}" if server_url else ""
    if database != Path("parley.db"):
        hint += f" --database {database}"
    live_view = not quiet and sys.stdout.isatty()
    kept: list[Path] = []

    def keep(summit_id: str, token: str) -> None:
        kept.append(keep_convener_token(database, summit_id, token, server_url))

    with server(server_url, database) as base:
        result = run(lambda: _play(chosen, base, options, names, live_view, keep))
    console.print(summary(result, hint))
    if kept:
        console.print(
            f"The convener's token is kept in {kept[0]} (readable by you only): "
            f"parley history {result.summit.id}{hint} --convener",
            soft_wrap=True,
        )


async def _play(
    scenario: Scenario,
    base: str,
    options: RunOptions,
    names: dict[str, str],
    live_view: bool,
    keep: Callable[[str, str], None],
) -> RunResult:
    from clients.runner import Watchers, run_scenario

    board: Board | None = None

    def on_summit(summit: Summit) -> None:
        nonlocal board
        if board is None:
            board = Board(summit, {k: v for k, v in names.items() if k != "mediator"})
        board.on_summit(summit)

    def on_move(note: MoveNote) -> None:
        if board is not None:
            board.on_move(note)

    async def on_look(client: AsyncParleyClient, summit: Summit) -> None:
        if board is not None and live_view:
            await look(client, board)

    watchers = Watchers(
        on_move=on_move,
        on_summit=on_summit,
        on_look=on_look,
        on_created=keep,
    )
    if not live_view:
        return await run_scenario(scenario, base, options, watchers)

    def draw() -> RenderableType:
        if board is None:
            return "setting the table"
        return board.render(console.width, console.height)

    with Live(get_renderable=draw, console=console, refresh_per_second=4):
        return await run_scenario(scenario, base, options, watchers)


@app.command("watch")
@handles_errors
def watch(
    summit: str = typer.Argument(..., help="The summit's id."),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
) -> None:
    """Follow a summit live until it concludes (what your token may see).

    A summit that has concluded shows its final state.
    """
    with server(server_url, database, read_only=True) as base:
        final = run(lambda: _watch(base, summit, token))
    console.print(f"summit {final.id}: {final.status}, outcome {final.outcome}")


async def _watch(base: str, summit_id: str, token: str | None) -> Summit:
    from clients.async_client import AsyncParleyClient

    async with AsyncParleyClient(base, token) as client:
        summit = await client.get_summit(summit_id)
        board = Board(summit)
        await look(client, board)
        if summit.status == "concluded" or not sys.stdout.isatty():
            while board.summit.status != "concluded" and not sys.stdout.isatty():
                await client.events(summit_id, after=board.summit.events, wait=20)
                await look(client, board)
            console.print(board.render(console.width, max(console.height, 200)))
            return board.summit

        def draw() -> RenderableType:
            return board.render(console.width, console.height)

        with Live(get_renderable=draw, console=console, refresh_per_second=4):
            while board.summit.status != "concluded":
                await client.events(summit_id, after=board.summit.events, wait=20)
                await look(client, board)
        return board.summit


@app.command("list")
@handles_errors
def list_summits(
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    status: str | None = typer.Option(None, "--status", help="setup, open or concluded."),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="How many, newest first."),
    ids: bool = typer.Option(False, "--ids", help="Print only the ids, newest last."),
) -> None:
    """List the summits of the server or database in use: id, title, status, outcome, created."""
    if status is not None and status not in ("setup", "open", "concluded"):
        fail(f"--status {status!r}: use setup, open or concluded")
    from clients.async_client import AsyncParleyClient

    async def fetch(base: str) -> list[SummitSummary]:
        async with AsyncParleyClient(base) as client:
            return list(await client.list_summits(status, limit))

    with server(server_url, database, read_only=True) as base:
        found = run(lambda: fetch(base))
    if ids:
        for item in reversed(found):
            print(item.id)
        return
    if not found:
        console.print("no summits yet")
        return
    table = Table()
    for column in ("id", "title", "status", "outcome", "created"):
        table.add_column(column, overflow="fold")
    for item in found:
        table.add_row(
            item.id,
            item.title,
            item.status,
            item.outcome or "",
            (item.created_at or "")[:19].replace("T", " "),
        )
    console.print(table)
