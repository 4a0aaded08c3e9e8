"""``hardliner``: tables its ideal package every round; accepts only what is nearly as good."""

from __future__ import annotations

from clients.models import Package, Proposal
from clients.strategies.base import Answer, Strategy, TableState


class Hardliner(Strategy):
    """Options: ``bar`` (default 0.9), the share of its best utility a package must reach."""

    name = "hardliner"
    OPTIONS = {**Strategy.OPTIONS, "bar": float}

    def propose(self, state: TableState) -> tuple[Package, str] | None:
        """Table the ideal package, every round."""
        ideal = state.position.ideal()
        return None if ideal is None else (ideal, "our position stands")

    def aim(self, state: TableState) -> float | None:
        """Return ``bar`` of the ideal package's worth."""
        ideal = state.position.ideal()
        best = state.position.value(ideal) if ideal else 1.0
        return float(self.options.get("bar", 0.9)) * best

    def answer(self, state: TableState, proposal: Proposal) -> Answer:
        """Accept only packages worth at least ``bar`` of the ideal."""
        return self.accept_if(state, proposal, at_least=float(self.options.get("bar", 0.9)))
