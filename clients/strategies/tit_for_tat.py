"""``tit_for_tat``: concedes as much as the others have conceded to it.

It measures the others' concessions in its own utility: when their latest proposals are
worth more to it than their previous ones, it lowers its own target by that gain times
``reciprocity`` (default 1), never below its reservation value, and at least by ``pace``
(default 0.02) per round so that two mirroring delegations do not stall forever.
"""

from __future__ import annotations

from clients.strategies.base import TableState, TargetStrategy


class TitForTat(TargetStrategy):
    """Mirror the others' concessions, measured in its own utility."""

    name = "tit_for_tat"
    OPTIONS = {**TargetStrategy.OPTIONS, "reciprocity": float, "pace": float}

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

    def motive(self, target: float) -> str:
        """Explain a proposal: it mirrors the others' moves (never the number)."""
        return "matching the others' moves"
