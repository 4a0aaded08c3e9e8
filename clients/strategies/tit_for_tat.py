"""``tit_for_tat``: concedes as much as the others have conceded to it.

It measures the others' concessions in its own utility: when their latest proposals are
worth more to it than their previous ones, it lowers its own target by that gain times
``reciprocity`` (default 1), never below its reservation value, and at least by ``pace``
(default 0.02) per round so that two mirroring delegations do not stall forever.
"""

from __future__ import annotations

from clients.models import Package, Proposal
from clients.strategies.base import Answer, Strategy, TableState


class TitForTat(Strategy):
    """Mirror the others' concessions, measured in its own utility."""

    name = "tit_for_tat"

    def target(self, state: TableState) -> float:
        """Return the utility the delegation aims at, after mirroring every round so far."""
        ideal = state.position.ideal()
        best = state.position.value(ideal) if ideal else 1.0
        utility = state.position.utility
        floor = utility.reservation if utility else 0.0
        reciprocity = float(self.options.get("reciprocity", 1.0))
        pace = float(self.options.get("pace", 0.02))
        target = best
        rounds = max((len(history) for history in state.others.values()), default=0)
        for n in range(1, rounds):
            gains = [
                state.position.value(history[n]) - state.position.value(history[n - 1])
                for history in state.others.values()
                if len(history) > n
            ]
            gain = sum(gains) / len(gains) if gains else 0.0
            target -= max(reciprocity * gain, pace)
        if state.round >= state.max_rounds:
            target = floor
        return max(floor, target)

    def aim(self, state: TableState) -> float | None:
        """Return the current target."""
        return self.target(state)

    def propose(self, state: TableState) -> tuple[Package, str] | None:
        """Table the package nearest the mirrored target."""
        ideal = state.position.ideal()
        if ideal is None:
            return None
        target = self.target(state)
        package = state.position.concede_toward(ideal, target, state.latest_others())
        return package, f"matching the others' moves (target {target:.2f})"

    def floor(self, state: TableState) -> float | None:
        """Sound out packages worth at least the mirrored target."""
        return self.target(state) if self.options.get("sound", True) else None

    def answer(self, state: TableState, proposal: Proposal) -> Answer:
        """Accept what is worth at least the current target."""
        package = proposal.package or {}
        if not self.acceptable(state, package):
            return Answer("reject", "it breaks one of our red lines")
        worth, target = state.position.value(package), self.target(state)
        verdict = "accept" if worth + 1e-9 >= target else "reject"
        return Answer(verdict, f"worth {worth:.2f} to us (target {target:.2f})")
