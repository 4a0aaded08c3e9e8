"""The ``simultaneous`` round protocol as a state machine over one round's moves.

Round n opens in phase ``proposals``: each party proposes once or passes (and, in a mediated
summit, the convener tables a mediator text or passes). When every actor has acted, or the
phase deadline passes, the phase moves to ``responses``: each party answers every full
proposal that is not its own. When every answer is in (missing ones count as rejections at
the deadline) the round closes: a full proposal accepted by every party that breaks no active
red line becomes the settlement; otherwise round n+1 opens, up to ``max_rounds``.

The service loads a ``RoundState`` from storage, asks these functions what is allowed and
what follows, and persists the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from service.domain.agenda import Package
from service.domain.errors import Conflict, InvalidInput

MAX_ROUNDS_LIMIT = 1000
MAX_PHASE_SECONDS = 7 * 24 * 3600.0
CONVENER = "convener"


class SummitStatus(StrEnum):
    """The life of a summit."""

    SETUP = "setup"
    OPEN = "open"
    CONCLUDED = "concluded"


class Outcome(StrEnum):
    """How a summit ended."""

    AGREEMENT = "agreement"
    NO_AGREEMENT = "no_agreement"
    ABORTED = "aborted"


class Phase(StrEnum):
    """The two phases of a round."""

    PROPOSALS = "proposals"
    RESPONSES = "responses"


class Answer(StrEnum):
    """A party's verdict on a proposal."""

    ACCEPT = "accept"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Protocol:
    """How rounds run: at most ``max_rounds``, each phase at most ``phase_seconds``."""

    max_rounds: int
    phase_seconds: float | None = None
    mediated: bool = False
    name: str = "simultaneous"

    def spec(self) -> dict[str, Any]:
        """Return the protocol as JSON."""
        return {
            "name": self.name,
            "max_rounds": self.max_rounds,
            "phase_seconds": self.phase_seconds,
            "mediated": self.mediated,
        }


def build_protocol(spec: Mapping[str, Any]) -> Protocol:
    """Check a protocol specification and build it."""
    errors: list[dict[str, Any]] = []
    name = spec.get("name", "simultaneous")
    if name != "simultaneous":
        errors.append(
            {
                "loc": ["protocol", "name"],
                "message": f"unknown protocol {name!r}",
                "allowed": ["simultaneous"],
            }
        )
    max_rounds = spec.get("max_rounds")
    if type(max_rounds) is not int or not 1 <= max_rounds <= MAX_ROUNDS_LIMIT:
        errors.append(
            {
                "loc": ["protocol", "max_rounds"],
                "message": f"max_rounds is an integer from 1 to {MAX_ROUNDS_LIMIT}",
            }
        )
    seconds = spec.get("phase_seconds")
    if seconds is not None and (
        not isinstance(seconds, int | float)
        or isinstance(seconds, bool)
        or not math.isfinite(seconds)
        or not 0 < seconds <= MAX_PHASE_SECONDS
    ):
        errors.append(
            {
                "loc": ["protocol", "phase_seconds"],
                "message": "phase_seconds is null or a number of seconds in "
                f"(0, {MAX_PHASE_SECONDS:g}]",
            }
        )
    mediated = spec.get("mediated", False)
    if not isinstance(mediated, bool):
        errors.append({"loc": ["protocol", "mediated"], "message": "mediated is true or false"})
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})
    assert isinstance(max_rounds, int)
    return Protocol(max_rounds, None if seconds is None else float(seconds), mediated)


@dataclass(frozen=True, slots=True)
class Tabled:
    """A proposal on the table; ``party`` is None for the convener's mediator text."""

    id: int
    party: str | None
    package: Package
    complete: bool


@dataclass
class RoundState:
    """What has happened so far in the current round."""

    number: int
    phase: Phase
    parties: tuple[str, ...]
    mediated: bool = False
    proposals: list[Tabled] = field(default_factory=list)
    passed: set[str] = field(default_factory=set)
    responses: dict[tuple[int, str], Answer] = field(default_factory=dict)

    def acted(self, actor: str) -> bool:
        """Say whether a party (or ``CONVENER``) has proposed or passed this round."""
        if actor in self.passed:
            return True
        owner = None if actor == CONVENER else actor
        return any(p.party == owner for p in self.proposals)

    def waiting_for(self) -> list[str]:
        """Return who the current phase is waiting for."""
        if self.phase is Phase.PROPOSALS:
            actors = list(self.parties) + ([CONVENER] if self.mediated else [])
            return [actor for actor in actors if not self.acted(actor)]
        return sorted({party for _, party in self.missing_responses()}, key=self.parties.index)

    def answerable(self) -> list[Tabled]:
        """Return the proposals that need answers: the full ones."""
        return [p for p in self.proposals if p.complete]

    def missing_responses(self) -> list[tuple[int, str]]:
        """Return the (proposal, party) answers still owed, in proposal then party order."""
        return [
            (p.id, party)
            for p in self.answerable()
            for party in self.parties
            if party != p.party and (p.id, party) not in self.responses
        ]

    def describe(self) -> str:
        """Say where the round stands and whom it waits for."""
        waiting = self.waiting_for()
        who = ", ".join(waiting) if waiting else "nobody"
        return f"round {self.number} is in phase '{self.phase.value}', waiting for {who}"

    def details(self) -> dict[str, Any]:
        """Return the round's position as JSON for error details."""
        return {"round": self.number, "phase": self.phase.value, "waiting_for": self.waiting_for()}


def _conflict(state: RoundState, message: str) -> Conflict:
    return Conflict(f"{message}: {state.describe()}", details=state.details())


def check_can_propose(state: RoundState, actor: str) -> None:
    """Raise Conflict unless ``actor`` (a party or ``CONVENER``) may table a proposal now."""
    if state.phase is not Phase.PROPOSALS:
        raise _conflict(state, "proposals are closed")
    if actor in state.passed:
        raise _conflict(state, f"{_who(actor)} already passed this round")
    if state.acted(actor):
        raise _conflict(state, f"{_who(actor)} already tabled a proposal this round")


def check_can_pass(state: RoundState, actor: str) -> None:
    """Raise Conflict unless ``actor`` may pass now."""
    if actor == CONVENER and not state.mediated:
        raise _conflict(state, "the convener passes only in a mediated summit")
    check_can_propose(state, actor)


def check_can_respond(state: RoundState, party: str, proposal: Tabled) -> None:
    """Raise Conflict unless ``party`` may answer ``proposal`` now."""
    if state.phase is not Phase.RESPONSES:
        raise _conflict(state, "responses open once the proposals phase closes")
    if not proposal.complete:
        raise _conflict(state, f"proposal {proposal.id} is partial and takes no answers")
    if proposal.party == party:
        raise _conflict(state, f"proposal {proposal.id} is your own and counts as accepted")
    if (proposal.id, party) in state.responses:
        raise _conflict(state, f"{party} already answered proposal {proposal.id}")


def proposals_done(state: RoundState) -> bool:
    """Say whether every actor has acted in the proposals phase."""
    return not state.waiting_for()


def responses_done(state: RoundState) -> bool:
    """Say whether every owed answer is in."""
    return not state.missing_responses()


# How the settlement is chosen when several full packages are accepted by every party.
SETTLEMENT_RULE = (
    "several full packages were accepted by every party: the mediator's text settles, "
    "else the proposal of the party seated first"
)
ONLY_SETTLEMENT = "the only full package accepted by every party"


def unanimous(state: RoundState, is_clear: Callable[[Package], bool]) -> list[Tabled]:
    """Return the full proposals accepted by every party that break no active red line.

    In the order that decides between them: the mediator's text first, then the proposals
    by the parties' seats; the order proposals arrived in (a matter of timing) never decides.
    """

    def seat(proposal: Tabled) -> int:
        return -1 if proposal.party is None else state.parties.index(proposal.party)

    return [
        proposal
        for proposal in sorted(state.answerable(), key=seat)
        if is_clear(proposal.package)
        and all(
            party == proposal.party or state.responses.get((proposal.id, party)) is Answer.ACCEPT
            for party in state.parties
        )
    ]


def settlement(state: RoundState, is_clear: Callable[[Package], bool]) -> Tabled | None:
    """Return the proposal that settles the round (see ``unanimous``), or None."""
    chosen = unanimous(state, is_clear)
    return chosen[0] if chosen else None


def settlement_rule(chosen: Sequence[Tabled]) -> str:
    """Say by which rule the first of ``chosen`` (from ``unanimous``) settled."""
    return SETTLEMENT_RULE if len(chosen) > 1 else ONLY_SETTLEMENT


def next_round(number: int, protocol: Protocol) -> int | None:
    """Return the number of the round after ``number``, or None when the summit runs out."""
    return number + 1 if number < protocol.max_rounds else None


def _who(actor: str) -> str:
    return "the convener" if actor == CONVENER else actor
