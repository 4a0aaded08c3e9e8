"""The ``Convener`` runtime: sits in the chair of a mediated summit with the convener's token.

In a mediated summit the proposals phase waits for the convener too. The convener drafts
last: once every delegation has tabled or passed (or when the phase's deadline is near), it
reads the rounds so far, this one included (the convener sees sealed proposals), lets its
``Mediator`` strategy weigh each party's demand from them and the parties' preferences, asks the
server's solver for texts, and tables the one chosen, or passes. It stops when the summit
concludes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from clients.agenda import Agenda
from clients.async_client import AsyncParleyClient
from clients.delegation import MoveNote
from clients.errors import Conflict, InvalidInput, NotFound
from clients.models import Package, Round, Suggestions, Summit
from clients.strategies.mediator import Mediator
from clients.utility import Utility

log = logging.getLogger("parley.convener")
CONVENER = "convener"
# Under a phase deadline, the convener drafts this long before it at the latest.
DRAFTING_SECONDS = 2.0


class Convener:
    """The chair of one summit, played by a mediator strategy."""

    def __init__(
        self,
        client: AsyncParleyClient,
        summit: str,
        mediator: Mediator,
        *,
        wait: float = 20.0,
        on_move: Callable[[MoveNote], None] | None = None,
    ) -> None:
        self.client = client
        self.summit = summit
        self.mediator = mediator
        self.wait = wait
        self.on_move = on_move
        self.utilities: dict[str, Utility] = {}
        self.texts: list[tuple[int, bool]] = []  # (round, whether the text met every demand)
        self._rounds: dict[int, Round] = {}
        self._acted: set[int] = set()

    async def run(self) -> Summit:
        """Chair the summit until it concludes; return the concluded summit."""
        summit = await self.client.get_summit(self.summit)
        agenda = Agenda(summit.issues)
        for party in summit.parties:
            try:
                document = await self.client.preferences(self.summit, party.key)
            except NotFound:
                continue
            self.utilities[party.key] = Utility(document.model_dump(), agenda)
        after = 0
        while summit.status != "concluded":
            await self._turn(summit)
            wait = self._patience(summit)
            events = await self.client.events(self.summit, after=after, wait=wait)
            if events:
                after = events[-1].seq
            # Any move may leave the convener the last one awaited: look again after each.
            summit = await self.client.get_summit(self.summit)
        return summit

    def _patience(self, summit: Summit) -> float:
        """How long to wait for events: not past the moment to draft before a deadline."""
        left = _seconds_left(summit)
        return self.wait if left is None else max(0.0, min(self.wait, left - DRAFTING_SECONDS))

    async def _turn(self, summit: Summit) -> None:
        position = summit.round
        if summit.status != "open" or position is None or position.phase != "proposals":
            return
        waiting = position.waiting_for or []
        if CONVENER not in waiting or position.number in self._acted:
            return
        left = _seconds_left(summit)
        if waiting != [CONVENER] and (left is None or left > DRAFTING_SECONDS):
            return  # draft last, having read every delegation's proposal of the round
        self._acted.add(position.number)
        try:
            await self._table(position.number, _budget(left))
        except Conflict as refused:
            log.info("convener: %s", refused.message)

    async def _table(self, number: int, budget: float | None) -> None:
        proposals: dict[str, list[Package]] = {}
        accepted: dict[str, list[Package]] = {}
        for earlier in range(1, number + 1):
            played = self._rounds.get(earlier)
            if played is None:
                played = await self.client.round(self.summit, earlier)
                if earlier < number:
                    self._rounds[earlier] = played
            tabled = {p.id: p.package for p in played.proposals if p.package is not None}
            for proposal in played.proposals:
                if proposal.party is not None and proposal.package is not None:
                    proposals.setdefault(proposal.party, []).append(proposal.package)
            for response in played.responses:
                if response.verdict == "accept" and response.proposal in tabled:
                    accepted.setdefault(response.party, []).append(tabled[response.proposal])
        mediator = self.mediator
        demands = mediator.demands(self.utilities, proposals, accepted)
        within = await self._suggestions(
            mediator.objective, budget, floors=mediator.floors(demands)
        )
        focal = None
        if not mediator.meets(
            demands, within.suggestions[0].utilities if within.suggestions else {}
        ):
            focal = await self._suggestions("kalai", budget, claims=demands)
        text = mediator.choose(demands, within, focal)
        if text is None:
            await self.client.pass_turn(self.summit, round=number)
            self._note(number, "pass", within.reason or "")
            return
        await self.client.propose(self.summit, text.package, text.rationale, round=number)
        self.texts.append((number, text.meets_demands))
        said = "meets every demand" if text.meets_demands else "cuts every demand alike"
        self._note(number, "propose", text.note, f"{text.objective} text, {said}")

    async def _suggestions(
        self,
        objective: str,
        budget: float | None,
        floors: dict[str, float] | None = None,
        claims: dict[str, float] | None = None,
    ) -> Suggestions:
        ask, summit = self.client.suggestions, self.summit
        try:
            return await ask(summit, objective, floors=floors, claims=claims, time_limit=budget)
        except InvalidInput as refused:
            if budget is None or "time_limit" not in refused.message:
                raise
            # This server's limit is shorter than the time left: its own limit then.
            return await ask(summit, objective, floors=floors, claims=claims)

    def _note(self, number: int, kind: str, detail: str, summary: str = "") -> None:
        if self.on_move is not None:
            self.on_move(MoveNote("mediator", number, kind, detail, summary))


def _budget(left: float | None) -> float | None:
    """Seconds each of the (at most two) solver questions may take before the deadline."""
    if left is None:
        return None
    return round(max(0.1, (left - 0.5) / 2), 2)


def _seconds_left(summit: Summit) -> float | None:
    deadline = summit.round.deadline if summit.round is not None else None
    if deadline is None:
        return None
    moment = datetime.fromisoformat(deadline)
    return (moment - datetime.now(UTC)).total_seconds()
