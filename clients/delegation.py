"""The ``Delegation`` runtime: plays one party at one summit with that party's token only.

It follows the summit's event stream by long poll and, each time the summit waits for its
party, asks its strategy what to do: which red lines to relax, what to table (or to pass),
and how to answer the others' proposals. It knows only what its token can see, and it stops
when the summit concludes.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clients.agenda import Agenda
from clients.async_client import AsyncParleyClient
from clients.errors import Conflict, NotFound
from clients.models import Package, Proposal, Round, Summit, Value
from clients.position import Position
from clients.strategies.base import Strategy, TableState
from clients.utility import Utility

log = logging.getLogger("parley.delegation")
# Events after which the summit may be waiting for someone new.
_TURNS = {"summit.started", "round.opened", "phase.changed", "round.closed", "summit.concluded"}


@dataclass(frozen=True)
class MoveNote:
    """A move a delegation made, for live views and logs."""

    party: str
    round: int
    kind: str
    detail: str
    # What a room may be told of the move (the mediator's: whether it met every demand).
    summary: str = ""


class Delegation:
    """One party at one summit, played by a strategy."""

    def __init__(
        self,
        client: AsyncParleyClient,
        summit: str,
        party: str,
        strategy: Strategy,
        *,
        seed: int = 0,
        wait: float = 20.0,
        pace: float = 0.0,
        on_move: Callable[[MoveNote], None] | None = None,
    ) -> None:
        self.client = client
        self.summit = summit
        self.party = party
        self.strategy = strategy
        self.wait = wait
        # Seconds to pause before each move, to slow a summit down for a room.
        self.pace = pace
        self.on_move = on_move
        self.rng = random.Random(f"{seed}:{party}")  # noqa: S311 - for reproducible play, not secrets
        self._agenda: Agenda | None = None
        self._utility: Utility | None = None
        self._max_rounds = 1
        self._acted: set[tuple[int, str]] = set()
        # Moves the server refused (a well-behaved strategy has none but deadline races).
        self.refused: list[str] = []
        # The strategy's aim in each round's responses phase (private to this process).
        self.aims: dict[int, float] = {}
        self._seen_rounds: dict[int, Round] = {}
        # Repair searches, kept across turns for as long as the active red lines are the same.
        self._memos: dict[frozenset[int], dict[Any, Any]] = {}
        # Every active red line's id (hidden ones too), as read at the start of this turn.
        self._binding: frozenset[int] = frozenset()
        # The server checker's status of each red line on each full package checked so far:
        # a red line's tree never changes, so its status on a full package never does either.
        self._statuses: dict[tuple[tuple[str, Value], ...], dict[int, str]] = {}

    async def run(self) -> Summit:
        """Play until the summit concludes; return the concluded summit."""
        summit = await self.prepare()
        after = 0
        while True:
            if summit.status == "concluded":
                return summit
            await self._turn(summit)
            events = await self.client.events(self.summit, after=after, wait=self.wait)
            if events:
                after = events[-1].seq
            if not events or any(event.type in _TURNS for event in events):
                summit = await self.client.get_summit(self.summit)

    async def prepare(self) -> Summit:
        """Read the agenda and the party's own preferences; return the summit."""
        summit = await self.client.get_summit(self.summit)
        self._agenda = Agenda(summit.issues)
        self._max_rounds = int(summit.protocol.get("max_rounds", 1))
        try:
            preferences = await self.client.preferences(self.summit, self.party)
        except NotFound:
            self._utility = None
        else:
            self._utility = Utility(preferences.model_dump(), self._agenda)
        return summit

    async def act(self, summit: Summit) -> None:
        """Take the party's turn if the summit waits for it (once per round and phase)."""
        await self._turn(summit)

    async def _turn(self, summit: Summit) -> None:
        position = summit.round
        if summit.status != "open" or position is None:
            return
        if self.party not in (position.waiting_for or []):
            return
        key = (position.number, position.phase)
        if key in self._acted:
            return
        self._acted.add(key)
        try:
            if position.phase == "proposals":
                await self._proposals(position.number)
            else:
                await self._responses(position.number)
        except Conflict as refused:
            # The phase moved on (a deadline, the convener) while we thought: nothing lost.
            log.info("%s: %s", self.party, refused.message)
            self.refused.append(f"round {position.number} {position.phase}: {refused.message}")

    async def _state(self, number: int, current: Round | None = None) -> TableState:
        assert self._agenda is not None
        visible = await self.client.red_lines(self.summit)
        self._binding = frozenset(rl.id for rl in visible if rl.status == "active")
        red_lines = [rl for rl in visible if rl.party == self.party]
        active = [rl for rl in red_lines if rl.status == "active" and rl.constraint]
        trees = [rl.constraint for rl in active if rl.constraint is not None]
        memo = self._memos.setdefault(frozenset(rl.id for rl in active), {})
        state = TableState(
            party=self.party,
            round=number,
            max_rounds=self._max_rounds,
            position=Position(self._agenda, trees, self._utility, memo),
            red_lines=red_lines,
            known=[
                rl
                for rl in visible
                if rl.party != self.party and rl.status == "active" and rl.constraint
            ],
            rng=self.rng,
        )
        for earlier in range(1, number + (current is not None)):
            played = current if earlier == number else self._seen_rounds.get(earlier)
            if played is None:
                played = self._seen_rounds[earlier] = await self.client.round(self.summit, earlier)
            for proposal in played.proposals:
                if proposal.package is None or proposal.party is None:
                    continue
                if proposal.party == self.party:
                    state.own.append(proposal.package)
                else:
                    state.others.setdefault(proposal.party, []).append(proposal.package)
        return state

    async def _proposals(self, number: int) -> None:
        state = await self._state(number)
        move = self.strategy.propose(state)
        if move is None:
            await self._pause()
            await self.client.pass_turn(self.summit, round=number)
            self._note(number, "pass", "")
            return
        package, rationale = move
        floor = self.strategy.floor(state)
        if floor is not None:
            package = await self._sound(state, package, floor)
        await self._pause()
        await self.client.propose(self.summit, package, rationale, round=number)
        self._note(number, "propose", _short(package))

    async def _sound(self, state: TableState, package: Package, floor: float) -> Package:
        """Look for a package that breaks nobody's red line, worth at least ``floor`` to us.

        Hill-climbs on the number of red lines a package breaks, as the server's checker
        reports it (hidden red lines show their status, never their content), trying the
        cheapest neighbours first, within ``sound_budget`` tries (option; default 24). A try
        is a check, unless its answer is already known: a package checked before (its
        statuses are kept), or one that breaks at least as many of the red lines we can read
        as the best so far breaks in all (it cannot be better). Either way the try counts,
        so the climb and its result are those of asking the server every time.
        """
        budget = int(self.strategy.options.get("sound_budget", 24))
        extra: dict[str, list[object]] = {}
        for proposal in state.latest_others():
            for key, value in proposal.items():
                extra.setdefault(key, []).append(value)
        best = package
        broken = await self._violated(package)
        budget -= 1
        while broken and budget > 0:
            improved = False
            candidates = state.position.neighbours(best, floor, extra)  # type: ignore[arg-type]
            # Red lines we can read are judged locally before a check is spent: candidates
            # breaking more of them than the current best are dropped, fewer go first.
            known = state.breaks_known(best)
            scored = [(state.breaks_known(c), i, c) for i, c in enumerate(candidates)]
            for readable, _, candidate in sorted(s for s in scored if s[0] <= known):
                if budget <= 0:
                    break
                budget -= 1
                if readable >= broken:
                    continue  # it breaks at least as many as the best: no better, so no check
                count = await self._violated(candidate)
                if count < broken:
                    best, broken, improved = candidate, count, True
                    break
            if not improved:
                break
        return best

    async def _violated(self, package: Package) -> int:
        """Return how many active red lines a full package breaks, as the server checks it.

        Asks the server only when some active red line's status on the package is not known
        from an earlier check (this turn's active red lines are those read at its start).
        """
        key = tuple(sorted(package.items()))
        known = self._statuses.get(key)
        if known is not None and self._binding <= known.keys():
            return sum(1 for rid in self._binding if known[rid] == "violated")
        report = await self.client.check(self.summit, package)
        self._statuses.setdefault(key, {}).update(
            (entry.id, entry.status) for entry in report.red_lines
        )
        return report.counts.get("violated", 0)

    async def _responses(self, number: int) -> None:
        current = await self.client.round(self.summit, number)
        state = await self._state(number, current)
        # Relaxations are decided here, having seen this round's proposals and from the round
        # their rule allows (the server refuses earlier ones), so that all are in place before
        # the next proposals phase: the others' soundings then never race a relaxation.
        relaxations = self.strategy.relaxations(state)
        for red_line, note in relaxations:
            await self._pause()
            await self.client.relax(self.summit, red_line.id, note)
            self._note(number, "relax", red_line.label or f"red line {red_line.id}")
        if relaxations:
            state = await self._state(number, current)
        aim = self.strategy.aim(state)
        if aim is not None:
            self.aims[number] = aim
        # A script may have answered some proposals for this party already: not twice.
        answered = {r.proposal for r in current.responses if r.party == self.party}
        for proposal in current.proposals:
            if not self._answerable(proposal) or proposal.id in answered:
                continue
            answer = self.strategy.answer(state, proposal)
            await self._pause()
            await self.client.respond(
                self.summit, proposal.id, answer.verdict, answer.note, round=number
            )
            author = proposal.party or "mediator"
            self._note(number, answer.verdict, f"{author}'s proposal {proposal.id}")

    async def _pause(self) -> None:
        """Wait ``pace`` seconds before a move, so that a room can follow the summit."""
        if self.pace:
            await asyncio.sleep(self.pace)

    def _answerable(self, proposal: Proposal) -> bool:
        return (
            bool(proposal.complete)
            and proposal.party != self.party
            and proposal.package is not None
        )

    def _note(self, number: int, kind: str, detail: str) -> None:
        """Tell the live views of a move (made after the pause of the summit's pace)."""
        if self.on_move is not None:
            self.on_move(MoveNote(self.party, number, kind, detail))


def _short(package: Package) -> str:
    return ", ".join(f"{key}={value}" for key, value in package.items())
