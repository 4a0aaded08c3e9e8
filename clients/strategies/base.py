"""What every strategy sees and decides.

A strategy is a small class: ``relaxations`` (which of its red lines to relax before tabling),
``propose`` (a package, or None to pass) and ``answer`` (accept or reject a proposal). It
sees only what its delegation's token can see, gathered in ``TableState``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, ClassVar

from clients.models import Package, Proposal, RedLine
from clients.position import Position
from clients.redline import Predicate, compile_red_line


@dataclass
class TableState:
    """A delegation's knowledge of the summit at one of its turns."""

    party: str
    round: int
    max_rounds: int
    position: Position
    red_lines: list[RedLine]
    others: dict[str, list[Package]] = field(default_factory=dict)
    # The other parties' active red lines whose content the delegation may see (public ones).
    known: list[RedLine] = field(default_factory=list)
    own: list[Package] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    # Red lines compiled on first use, by id (their trees never change).
    _compiled: dict[int, Predicate] = field(default_factory=dict, repr=False)

    @property
    def time(self) -> float:
        """How much of the summit has passed: 0 in the first round, 1 in the last."""
        return 0.0 if self.max_rounds <= 1 else (self.round - 1) / (self.max_rounds - 1)

    def holds(self, red_line: RedLine, package: Package) -> bool:
        """Say whether a red line whose tree we can read holds on a full package."""
        test = self._compiled.get(red_line.id)
        if test is None:
            assert red_line.constraint is not None, "a hidden red line cannot be evaluated"
            test = compile_red_line(red_line.constraint, self.position.agenda)
            self._compiled[red_line.id] = test
        return test(package)

    def breaks_known(self, package: Package) -> int:
        """Count the other parties' red lines we can read that a full package breaks."""
        return sum(
            1 for rl in self.known if rl.constraint is not None and not self.holds(rl, package)
        )

    def latest_others(self) -> list[Package]:
        """Every other party's latest proposal."""
        return [history[-1] for history in self.others.values() if history]

    def active_red_lines(self) -> list[RedLine]:
        """Return the delegation's own red lines that still bind."""
        return [rl for rl in self.red_lines if rl.party == self.party and rl.status == "active"]


@dataclass(frozen=True)
class Answer:
    """A verdict on a proposal, with a note for the record."""

    verdict: str
    note: str = ""


class Strategy:
    """Base of the strategies: relaxes red lines on schedule, passes, rejects.

    Options: ``relax`` maps red-line labels to the round from which they may stop binding
    (the scenario's ``relax.after_round``); ``relax_policy`` is ``when_blocking`` (relax only
    a red line that the others' latest proposals broke), ``scheduled`` or ``never``.
    Relaxations are decided while answering a round's proposals, from the round the rule
    allows on (the server enforces the rule too), and bind no more from the next round.

    Notes and rationales are public once proposals are revealed: they never state a number
    about the delegation's own preferences (utilities, targets); ``aim`` reports those to
    the delegation's own process only.
    """

    name = "base"
    # The options a scenario file may set (``strategy_options``), with what each takes:
    # a type, or the tuple of allowed words.
    OPTIONS: ClassVar[dict[str, type | tuple[str, ...]]] = {
        "relax_policy": ("when_blocking", "scheduled", "never"),
        "sound": bool,
        "sound_budget": int,
    }

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.relax_after: dict[str, int] = dict(options.get("relax", {}))
        self.relax_notes: dict[str, str] = dict(options.get("relax_notes", {}))
        self.relax_policy: str = options.get("relax_policy", "scheduled")

    def relaxations(self, state: TableState) -> list[tuple[RedLine, str]]:
        """Return the red lines to relax now (for the next round on), each with a note."""
        if self.relax_policy == "never":
            return []
        chosen = []
        for red_line in state.active_red_lines():
            after = self.relax_after.get(red_line.label or "")
            if after is None or state.round < after:
                continue
            if self.relax_policy == "when_blocking" and not self._blocking(state, red_line):
                continue
            label = red_line.label or ""
            note = self.relax_notes.get(label, "") or f"relaxed from round {state.round}"
            chosen.append((red_line, note))
        return chosen

    @staticmethod
    def _blocking(state: TableState, red_line: RedLine) -> bool:
        others = state.latest_others()
        if not others or red_line.constraint is None:
            return True
        complete = [p for p in others if set(p) >= set(state.position.agenda.keys)]
        return any(not state.holds(red_line, p) for p in complete) or not complete

    def propose(self, state: TableState) -> tuple[Package, str] | None:
        """Return a package to table with its rationale, or None to pass."""
        return None

    def aim(self, state: TableState) -> float | None:
        """Return the least utility the delegation would accept now, if it works to one.

        Private to the delegation (never sent to the server); runners record it so that an
        analyst can tell from which round the delegations' demands left room for a deal.
        """
        return None

    def floor(self, state: TableState) -> float | None:
        """Return the lowest utility the delegation would table now, if it sounds out others.

        Before tabling, the delegation may try packages worth at least this much with the
        server's checker, looking for one that breaks nobody's red line. None: table as is.
        """
        return None

    def answer(self, state: TableState, proposal: Proposal) -> Answer:
        """Accept or reject a full proposal of another party (or the mediator)."""
        return Answer("reject")

    def accept_if(self, state: TableState, proposal: Proposal, *, at_least: float) -> Answer:
        """Accept what is worth ``at_least`` of the ideal and breaks no own red line."""
        package = proposal.package or {}
        ideal = state.position.ideal()
        bar = at_least * (state.position.value(ideal) if ideal else 1.0)
        if not self.acceptable(state, package):
            return Answer("reject", "it breaks one of our red lines")
        if state.position.value(package) + 1e-9 >= bar:
            return Answer("accept", "it is nearly all we asked for")
        return Answer("reject", "it falls too far short of our position")

    def acceptable(self, state: TableState, package: Package) -> bool:
        """Say whether the delegation may accept a package: it breaks none of its red lines."""
        return state.position.acceptable(package)


class TargetStrategy(Strategy):
    """A strategy that works to a target utility.

    It tables the package nearest the target (moving toward the others), sounds out
    packages worth at least it, and accepts what reaches it. Subclasses say how the target
    moves (``target``) and how to explain a proposal (``motive``).
    """

    def target(self, state: TableState) -> float:
        """Return the utility the delegation aims at now."""
        raise NotImplementedError

    def motive(self, target: float) -> str:
        """Return the public rationale of a proposal made for ``target`` (never the number)."""
        return "a step toward the others' positions"

    def aim(self, state: TableState) -> float | None:
        """Return the current target."""
        return self.target(state)

    def propose(self, state: TableState) -> tuple[Package, str] | None:
        """Table the package nearest the target, moving toward the others."""
        ideal = state.position.ideal()
        if ideal is None:
            return None
        target = self.target(state)
        package = state.position.concede_toward(ideal, target, state.latest_others())
        return package, self.motive(target)

    def floor(self, state: TableState) -> float | None:
        """Sound out packages worth at least the current target."""
        return self.target(state) if self.options.get("sound", True) else None

    def answer(self, state: TableState, proposal: Proposal) -> Answer:
        """Accept what is worth at least the current target."""
        package = proposal.package or {}
        if not self.acceptable(state, package):
            return Answer("reject", "it breaks one of our red lines")
        worth, target = state.position.value(package), self.target(state)
        if worth + 1e-9 >= target:
            return Answer("accept", "it meets what we need at this stage")
        return Answer("reject", "it does not yet meet what we need")
