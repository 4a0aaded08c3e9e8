"""``parley summit open``: a summit for people in browsers, with bots at some seats.

It starts the embedded server (or uses ``--server``), creates the summit from a scenario, has
every party declare its red lines and preferences with its own token, runs the named bots as
delegations, each with only its own token, and prints the convener's console link and a seat
link for every other party. A link carries its token in the URL fragment, which a browser
never sends to a server. It keeps serving until the summit concludes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import typer

from clients.cli.common import (
    DatabaseOption,
    ServerOption,
    console,
    fail,
    handles_errors,
    run,
    server,
)

if TYPE_CHECKING:
    from clients.async_client import AsyncParleyClient
    from clients.models import Summit
    from clients.scenario import Scenario
# The client library, the runner and the strategies are imported as a command runs
# (`parley --help` needs none of them).


@dataclass
class OpenTable:
    """A summit set up for its delegations: its id and every role's token."""

    base_url: str
    summit_id: str
    convener_token: str
    tokens: dict[str, str]
    bots: dict[str, str] = field(default_factory=dict)

    def seat_link(self, party: str) -> str:
        """Return the link of a party's seat (its token in the fragment)."""
        fragment = urlencode({"party": party, "token": self.tokens[party]})
        return f"{self.base_url}/seat/{quote(self.summit_id)}#{fragment}"

    def console_link(self) -> str:
        """Return the convener's console link, holding the people's seat links to hand out."""
        pairs = {"token": self.convener_token}
        pairs.update({f"seat-{party}": self.tokens[party] for party in self.people()})
        return f"{self.base_url}/console/{quote(self.summit_id)}#{urlencode(pairs)}"

    def board_link(self) -> str:
        """Return the link of the board for the room (no token)."""
        return f"{self.base_url}/board/{quote(self.summit_id)}"

    def people(self) -> list[str]:
        """Return the parties that people play (every party without a bot)."""
        return [party for party in self.tokens if party not in self.bots]


async def open_table(
    scenario: Scenario,
    base_url: str,
    *,
    bots: dict[str, str],
    phase_seconds: float | None = None,
    rounds: int | None = None,
    admin_token: str | None = None,
) -> OpenTable:
    """Create the summit and set every party's red lines and preferences; do not start it."""
    from clients.async_client import AsyncParleyClient
    from clients.runner import set_table

    for party in bots:
        scenario.party(party)
    async with AsyncParleyClient(base_url, admin_token) as founder:
        created = await founder.create_summit(
            scenario.summit_body(max_rounds=rounds, phase_seconds=phase_seconds)
        )
    tokens = dict(created.tokens.parties)
    delegates = {key: AsyncParleyClient(base_url, token) for key, token in tokens.items()}
    try:
        await set_table(scenario, created.summit.id, delegates)
    finally:
        for delegate in delegates.values():
            await delegate.aclose()
    return OpenTable(base_url, created.summit.id, created.tokens.convener, tokens, dict(bots))


async def play_bots(
    table: OpenTable,
    scenario: Scenario,
    *,
    seed: int = 0,
    wait: float = 20.0,
    start: bool = False,
    on_summit: Callable[[Summit], None] | None = None,
) -> Summit:
    """Run the bots' delegations until the summit concludes; return the concluded summit.

    The convener starts the summit from the console, unless ``start`` starts it now.
    """
    from clients.async_client import AsyncParleyClient
    from clients.delegation import Delegation
    from clients.runner import RunOptions, strategy_for

    options = RunOptions(strategies=table.bots, seed=seed)
    clients = {
        party: AsyncParleyClient(table.base_url, table.tokens[party]) for party in table.bots
    }
    convener = AsyncParleyClient(table.base_url, table.convener_token)
    try:
        if start:
            await convener.start(table.summit_id)
        delegations = [
            Delegation(
                clients[party],
                table.summit_id,
                party,
                strategy_for(scenario, party, options),
                seed=seed,
                wait=wait,
            )
            for party in table.bots
        ]
        players = [delegation.run() for delegation in delegations]
        watcher = _watch(convener, table.summit_id, wait, on_summit)
        results = await asyncio.gather(*players, watcher)
        final: Summit = results[-1]
        return final
    finally:
        await convener.aclose()
        for client in clients.values():
            await client.aclose()


async def _watch(
    convener: AsyncParleyClient,
    summit_id: str,
    wait: float,
    on_summit: Callable[[Summit], None] | None,
) -> Summit:
    """Follow the summit (bots or not) until it concludes."""
    after = 0
    while True:
        summit = await convener.get_summit(summit_id)
        if on_summit is not None:
            on_summit(summit)
        if summit.status == "concluded":
            return summit
        events = await convener.events(summit_id, after=after, wait=wait)
        if events:
            after = events[-1].seq


def parse_bots(pairs: list[str]) -> dict[str, str]:
    """Read ``party=strategy`` options, checking each strategy's name."""
    from clients.strategies import make_strategy

    bots: dict[str, str] = {}
    for pair in pairs:
        party, _, name = pair.partition("=")
        if not party or not name:
            fail(f"--bot {pair!r}: write party=strategy, e.g. usa=boulware")
        try:
            make_strategy(name)
        except (KeyError, ValueError) as error:
            fail(f"--bot {pair!r}: {error}")
        bots[party] = name
    return bots


@handles_errors
def open_summit(
    scenario: str = typer.Argument(
        ..., help="A built-in scenario name (see `parley scenarios list`) or a YAML file."
    ),
    bot: list[str] = typer.Option(
        [], "--bot", help="party=STRATEGY: a bot plays this party (repeatable)."
    ),
    phase_seconds: float | None = typer.Option(
        None, "--phase-seconds", min=1, help="Deadline of each phase, in seconds."
    ),
    rounds: int | None = typer.Option(None, "--rounds", min=1, help="Override max_rounds."),
    start: bool = typer.Option(
        False, "--start", help="Start at once (otherwise the convener starts from the console)."
    ),
    server_url: str | None = ServerOption,
    database: Path = DatabaseOption,
    admin_token: str | None = typer.Option(
        None, "--admin-token", envvar="PARLEY_ADMIN_TOKEN", help="For guarded servers."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bots' tie-breaks."),
) -> None:
    """Open a summit for people in browsers, with bots at the seats you name."""
    from clients.scenario import load_scenario

    chosen = load_scenario(scenario)
    bots = parse_bots(bot)
    for party in bots:
        if party not in {p.key for p in chosen.parties}:
            known = ", ".join(p.key for p in chosen.parties)
            fail(f"--bot: no party {party!r} (parties: {known})")
    with server(server_url, database) as base:
        run(lambda: _open(chosen, base, bots, phase_seconds, rounds, start, admin_token, seed))


def play_with_people(
    scenario: Scenario,
    base: str,
    *,
    people: list[str],
    strategies: dict[str, str],
    phase_seconds: float | None,
    rounds: int | None,
    admin_token: str | None,
    seed: int,
) -> None:
    """``parley summit run --human``: people play ``people``, bots play everyone else."""
    keys = [party.key for party in scenario.parties]
    for party in people:
        if party not in keys:
            fail(f"--human: no party {party!r} (parties: {', '.join(keys)})")
    bots = {
        party.key: strategies.get(party.key, party.strategy)
        for party in scenario.parties
        if party.key not in people
    }
    run(lambda: _open(scenario, base, bots, phase_seconds, rounds, True, admin_token, seed))


async def _open(
    scenario: Scenario,
    base: str,
    bots: dict[str, str],
    phase_seconds: float | None,
    rounds: int | None,
    start: bool,
    admin_token: str | None,
    seed: int,
) -> None:
    table = await open_table(
        scenario,
        base,
        bots=bots,
        phase_seconds=phase_seconds,
        rounds=rounds,
        admin_token=admin_token,
    )
    console.print(f"[bold]{scenario.title}[/] — summit {table.summit_id}")
    console.print("Keep each link to its team: it carries that delegation's token.")
    console.print(f"\n[bold]Convener's console[/]\n  {table.console_link()}", soft_wrap=True)
    console.print(f"\n[bold]Board (no token)[/]\n  {table.board_link()}", soft_wrap=True)
    console.print("\n[bold]Seats[/]")
    for party in table.people():
        console.print(f"  {party}: {table.seat_link(party)}", soft_wrap=True)
    for party, strategy in bots.items():
        console.print(f"  {party}: played by the bot {strategy}")
    console.print("\nServing until the summit concludes (Ctrl-C to stop).")
    final = await play_bots(table, scenario, seed=seed, start=start)
    settled = f", settlement {final.settlement}" if final.settlement else ""
    console.print(f"summit {final.id}: {final.status}, outcome {final.outcome}{settled}")
