"""``parley summit run`` and ``parley summit watch``."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.live import Live

from clients.cli.common import DatabaseOption, ServerOption, TokenOption, console, run, server
from clients.cli.view import Board, summary
from clients.client import AsyncParleyClient
from clients.delegation import MoveNote
from clients.models import Event, Summit
from clients.runner import RunOptions, RunResult, Watchers, run_scenario, strategy_for
from clients.scenario import Scenario, load_scenario
from clients.script import load_script
from clients.strategies.mediator import OBJECTIVES

app = typer.Typer(help="Run or watch a summit.", no_args_is_help=True)


def _overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        party, _, name = pair.partition("=")
        if not party or not name:
            raise typer.BadParameter(f"{pair!r}: write party=strategy, e.g. kurds=conceder")
        out[party] = name
    return out


@app.command("run")
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
    quiet: bool = typer.Option(False, "--quiet", help="No live view; print the summary only."),
    human: list[str] = typer.Option(
        [], "--human", help="PARTY: a person plays it in a browser (its seat link is printed)."
    ),
) -> None:
    """Play a scenario: every delegation runs as its own client with only its own token."""
    if mediator is not None and mediator not in OBJECTIVES:
        raise typer.BadParameter(
            f"{mediator!r}: use one of {', '.join(OBJECTIVES)}", param_hint="--mediator"
        )
    if mediator is not None and script is not None:
        raise typer.BadParameter("a script plays every move itself", param_hint="--mediator")
    chosen = load_scenario(scenario)
    options = RunOptions(
        rounds=rounds,
        strategies=_overrides(strategy),
        script=load_script(script) if script else None,
        seed=seed,
        phase_seconds=phase_seconds,
        admin_token=admin_token,
        mediator=mediator,
    )
    for party in options.strategies:
        chosen.party(party)
    names = {p.key: type(strategy_for(chosen, p.key, options)).name for p in chosen.parties}
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
    live_view = not quiet and sys.stdout.isatty()
    with server(server_url, database) as base:
        result = run(lambda: _play(chosen, base, options, names, live_view))
    console.print(summary(result, hint))


async def _play(
    scenario: Scenario, base: str, options: RunOptions, names: dict[str, str], live_view: bool
) -> RunResult:
    board: Board | None = None
    screen: Live | None = None

    def refresh() -> None:
        if screen is not None and board is not None:
            screen.update(board.render())

    def on_summit(summit: Summit) -> None:
        nonlocal board
        if board is None:
            board = Board(summit, names)
        board.on_summit(summit)
        refresh()

    def on_move(note: MoveNote) -> None:
        if board is not None:
            board.on_move(note)
            refresh()

    def on_event(event: Event) -> None:
        if board is not None:
            board.on_event(event)

    watchers = Watchers(on_move=on_move, on_event=on_event, on_summit=on_summit)
    if not live_view:
        return await run_scenario(scenario, base, options, watchers)
    with Live(console=console, refresh_per_second=8) as live:
        screen = live
        return await run_scenario(scenario, base, options, watchers)


@app.command("watch")
def watch(
    summit: str = typer.Argument(..., help="The summit's id."),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    token: str | None = TokenOption,
) -> None:
    """Follow a summit live until it concludes (what your token may see)."""
    with server(server_url, database) as base:
        final = run(lambda: _watch(base, summit, token))
    console.print(f"summit {final.id}: {final.status}, outcome {final.outcome}")


async def _watch(base: str, summit_id: str, token: str | None) -> Summit:
    async with AsyncParleyClient(base, token) as client:
        summit = await client.get_summit(summit_id)
        board = Board(summit, {})
        after = 0
        with Live(board.render(), console=console, refresh_per_second=8) as live:
            while summit.status != "concluded":
                events = await client.events(summit_id, after=after, wait=20)
                for event in events:
                    after = event.seq
                    board.on_event(event)
                    if event.type in ("proposal.tabled", "response.given", "party.passed"):
                        board.on_move(_note(event))
                summit = await client.get_summit(summit_id)
                board.on_summit(summit)
                live.update(board.render())
        return summit


def _note(event: Event) -> MoveNote:
    data = event.data
    party = event.actor.removeprefix("party:")
    if event.type == "proposal.tabled":
        return MoveNote(party, data["proposal"]["round"], "propose", "")
    if event.type == "party.passed":
        return MoveNote(party, data["round"], "pass", "")
    return MoveNote(data["party"], data["round"], data["verdict"], f"proposal {data['proposal']}")
