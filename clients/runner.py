"""Playing a scenario against a server: set the table, run the delegations, sum up.

``run_scenario`` creates the summit from a scenario, has each party declare its red lines and
set its preferences with its own token, starts the summit, then either runs every party's
delegation concurrently (each with only its own token) or plays a script exactly, in file
order, with strategies filling the turns the script leaves open.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from clients.agenda import Agenda
from clients.async_client import AsyncParleyClient
from clients.convener import Convener
from clients.delegation import Delegation, MoveNote
from clients.errors import ApiError, TransportError
from clients.models import Event, History, Summit, Verification
from clients.scenario import Scenario
from clients.script import Move, Script, ScriptError
from clients.strategies import Strategy, make_strategy
from clients.strategies.mediator import Mediator
from clients.utility import Utility


@dataclass
class RunOptions:
    """How to play a scenario."""

    rounds: int | None = None
    strategies: dict[str, str] = field(default_factory=dict)
    script: Script | None = None
    seed: int = 0
    phase_seconds: float | None = None
    wait: float = 20.0
    admin_token: str | None = None
    # An objective (nash, maximin, welfare, kalai): the convener mediates with it.
    mediator: str | None = None
    # Seconds each delegation pauses before each move (to follow a summit in a room).
    pace: float = 0.0


@dataclass
class RunResult:
    """What a played summit came to."""

    summit: Summit
    history: History
    verification: Verification
    utilities: dict[str, float | None]
    concessions: dict[str, int]
    convener_token: str
    refused: dict[str, list[str]] = field(default_factory=dict)
    # Each round's mediator text, and whether it met every delegation's demand.
    mediator_texts: list[tuple[int, bool]] = field(default_factory=list)
    # Each party's aim (the least it would accept) by round, as its strategy reported it.
    aims: dict[str, dict[int, float]] = field(default_factory=dict)
    # By what rule the settlement was chosen (the record's summit.concluded event).
    settlement_rule: str | None = None


@dataclass
class Watchers:
    """Callbacks for live views (all optional)."""

    on_move: Callable[[MoveNote], None] | None = None
    on_event: Callable[[Event], None] | None = None
    on_summit: Callable[[Summit], None] | None = None
    # Called after each batch of events with the convener's client, to read more.
    on_look: Callable[[AsyncParleyClient, Summit], Awaitable[None]] | None = None
    # Called once the summit exists, with its id and the convener's token.
    on_created: Callable[[str, str], None] | None = None


def strategy_for(scenario: Scenario, party: str, options: RunOptions) -> Strategy:
    """Build a party's strategy: the scenario's (or the override's), with its relax policy."""
    spec = scenario.party(party)
    name = options.strategies.get(party, spec.strategy)
    relax = {rl.label: rl.relax.after_round for rl in spec.red_lines if rl.relax}
    notes = {rl.label: rl.relax.note for rl in spec.red_lines if rl.relax}
    return make_strategy(name, relax=relax, relax_notes=notes, **spec.strategy_options)


async def run_scenario(
    scenario: Scenario,
    base_url: str,
    options: RunOptions | None = None,
    watchers: Watchers | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> RunResult:
    """Play ``scenario`` on the server at ``base_url`` and return the outcome."""
    options = options or RunOptions()
    watchers = watchers or Watchers()
    if options.mediator is not None and options.script is not None:
        raise ScriptError("a script plays every move itself: drop the mediator or the script")
    mediator = Mediator(options.mediator) if options.mediator is not None else None

    def client(token: str | None) -> AsyncParleyClient:
        return AsyncParleyClient(base_url, token, transport=transport)

    async with client(options.admin_token) as founder:
        body = scenario.summit_body(
            max_rounds=options.rounds,
            phase_seconds=options.phase_seconds,
            mediated=True if mediator is not None else None,
        )
        created = await founder.create_summit(body)
    summit_id = created.summit.id
    if watchers.on_created:
        watchers.on_created(summit_id, created.tokens.convener)
    convener = client(created.tokens.convener)
    delegates = {key: client(token) for key, token in created.tokens.parties.items()}
    try:
        try:
            await set_table(scenario, summit_id, delegates)
            await convener.start(summit_id)
        except BaseException:
            # A refused start leaves no half-built summit open: end it.
            with contextlib.suppress(ApiError, TransportError):
                await convener.abort(summit_id, "the table could not be set")
            raise
        strategies = {
            party.key: strategy_for(scenario, party.key, options) for party in scenario.parties
        }
        delegations = {
            key: Delegation(
                delegates[key], summit_id, key, strategies[key],
                seed=options.seed, wait=options.wait, pace=options.pace,
                on_move=watchers.on_move,
            )
            for key in delegates
        }  # fmt: skip
        chair: Convener | None = None
        if options.script is not None:
            await _play_script(
                options.script, summit_id, convener, delegates, delegations, watchers, options.pace
            )
        else:
            watcher = asyncio.create_task(_watch(convener, summit_id, watchers, options.wait))
            chair = (
                Convener(convener, summit_id, mediator, wait=options.wait, on_move=watchers.on_move)
                if mediator is not None
                else None
            )
            players = [delegation.run() for delegation in delegations.values()]
            try:
                await asyncio.gather(*players, *([chair.run()] if chair else []))
            finally:
                watcher.cancel()
        if watchers.on_look:
            await watchers.on_look(convener, await convener.get_summit(summit_id))
        result = await _sum_up(scenario, summit_id, convener, created.tokens.convener)
        result.refused = {key: delegation.refused for key, delegation in delegations.items()}
        result.aims = {key: dict(delegation.aims) for key, delegation in delegations.items()}
        result.mediator_texts = list(chair.texts) if chair is not None else []
        return result
    finally:
        await convener.aclose()
        for delegate in delegates.values():
            await delegate.aclose()


async def set_table(
    scenario: Scenario, summit_id: str, delegates: dict[str, AsyncParleyClient]
) -> None:
    """Have each party declare its red lines (with their rules) and set its preferences."""
    for party in scenario.parties:
        delegate = delegates[party.key]
        for red_line in party.red_lines:
            try:
                await delegate.declare_red_line(summit_id, party.key, **red_line.api())
            except ApiError as error:
                raise ScriptError(
                    f"scenario {scenario.name}, party {party.key}, red line {red_line.label!r}: "
                    f"{error.message}",
                    refused=True,
                ) from error
        if party.preferences is not None:
            await delegate.set_preferences(summit_id, party.key, party.preferences.model_dump())


async def _watch(
    convener: AsyncParleyClient, summit_id: str, watchers: Watchers, wait: float
) -> None:
    after = 0
    while True:
        events = await convener.events(summit_id, after=after, wait=wait)
        for event in events:
            after = event.seq
            if watchers.on_event:
                watchers.on_event(event)
        summit = await convener.get_summit(summit_id)
        if watchers.on_summit:
            watchers.on_summit(summit)
        if watchers.on_look:
            await watchers.on_look(convener, summit)
        if summit.status == "concluded":
            return


async def _play_script(
    script: Script,
    summit_id: str,
    convener: AsyncParleyClient,
    delegates: dict[str, AsyncParleyClient],
    delegations: dict[str, Delegation],
    watchers: Watchers,
    pace: float = 0.0,
) -> None:
    """Play the script's moves in file order; strategies take the turns it leaves open."""
    for delegation in delegations.values():
        await delegation.prepare()
    while True:
        summit = await convener.get_summit(summit_id)
        if watchers.on_summit:
            watchers.on_summit(summit)
        if watchers.on_look:
            await watchers.on_look(convener, summit)
        if summit.status == "concluded" or summit.round is None:
            return
        number, phase = summit.round.number, summit.round.phase
        moves = [
            (i, move)
            for i, move in enumerate(script.moves_of(number), start=1)
            if move.is_response == (phase == "responses")
        ]
        for step, move in moves:
            if pace:
                await asyncio.sleep(pace)
            await _step(move, number, step, summit_id, delegates, watchers)
        # Whoever the summit still waits for in this phase plays its strategy, in seat order.
        for party in [p.key for p in summit.parties]:
            current = await convener.get_summit(summit_id)
            if current.round is None or (current.round.number, current.round.phase) != (
                number,
                phase,
            ):
                break
            if party in (current.round.waiting_for or []):
                await delegations[party].act(current)


async def _step(
    move: Move,
    number: int,
    step: int,
    summit_id: str,
    delegates: dict[str, AsyncParleyClient],
    watchers: Watchers,
) -> None:
    delegate = delegates.get(move.party)
    where = f"round {number}, step {step} ({move.describe()})"
    if delegate is None:
        raise ScriptError(f"{where}: no party {move.party!r} at this summit")
    try:
        if move.kind == "propose":
            await delegate.propose(summit_id, move.propose or {}, move.rationale, round=number)
        elif move.kind == "pass":
            await delegate.pass_turn(summit_id, round=number)
        elif move.kind == "relax":
            mine = [
                rl
                for rl in await delegate.red_lines(summit_id, move.party)
                if rl.label == move.relax
            ]
            if not mine:
                raise ScriptError(f"{where}: {move.party} has no red line labelled {move.relax!r}")
            await delegate.relax(summit_id, mine[0].id, move.note)
        elif move.kind == "concede":
            spec: dict[str, Any] = move.concede or {}
            await delegate.concede(
                summit_id, spec["issue"], spec["from"], spec["to"], spec.get("note", move.note)
            )
        else:
            author = move.accept or move.reject
            current = await delegate.round(summit_id, number)
            target = [p for p in current.proposals if (p.party or "mediator") == author]
            if not target:
                raise ScriptError(f"{where}: round {number} has no proposal by {author!r}")
            await delegate.respond(summit_id, target[0].id, move.kind, move.note, round=number)
    except ApiError as error:
        raise ScriptError(
            f"{where}: refused by the server: {error.message} ({error.status} {error.code})",
            refused=True,
        ) from error
    if watchers.on_move:
        watchers.on_move(MoveNote(move.party, number, move.kind, "scripted"))


async def _sum_up(
    scenario: Scenario, summit_id: str, convener: AsyncParleyClient, token: str
) -> RunResult:
    summit = await convener.get_summit(summit_id)
    history = await convener.history(summit_id)
    verification = await convener.verify(summit_id)
    agenda = Agenda(summit.issues)
    utilities: dict[str, float | None] = {}
    for party in scenario.parties:
        if summit.settlement is None or party.preferences is None:
            utilities[party.key] = None
        else:
            utilities[party.key] = Utility(party.preferences.model_dump(), agenda)(
                summit.settlement
            )
    concessions = {key: entry.count for key, entry in history.ledger.items()}
    result = RunResult(summit, history, verification, utilities, concessions, token)
    for event in await convener.events(summit_id, after=max(0, summit.events - 1)):
        if event.type == "summit.concluded" and event.data.get("rule"):
            result.settlement_rule = str(event.data["rule"])
    return result
