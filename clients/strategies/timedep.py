"""Time-dependent tactics (Faratin, Sierra and Jennings, 1998): ``boulware`` and ``conceder``.

The target utility falls from the best acceptable package's utility towards the reservation
value as rounds pass: ``target(t) = r + (u_max - r) * (1 - t ** (1 / e))``. Boulware (e < 1)
holds firm until late; a conceder (e > 1) gives ground early. The delegation tables the
package nearest its target that moves toward the others' positions and breaks none of its own
active red lines, and accepts any package worth at least its current target.
"""

from __future__ import annotations

from clients.models import Package, Proposal
from clients.strategies.base import Answer, Strategy, TableState


class TimeDependent(Strategy):
    """Options: ``e`` (concession exponent), ``floor`` (overrides the reservation value)."""

    name = "time_dependent"
    default_e = 1.0

    def target(self, state: TableState) -> float:
        """Return the utility the delegation aims at in this round."""
        ideal = state.position.ideal()
        best = state.position.value(ideal) if ideal else 1.0
        utility = state.position.utility
        floor = float(self.options.get("floor", utility.reservation if utility else 0.0))
        e = float(self.options.get("e", self.default_e))
        return float(floor + (best - floor) * (1.0 - state.time ** (1.0 / e)))

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
        return package, f"aiming at utility {target:.2f}"

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
            return Answer("accept", f"worth {worth:.2f} to us (target {target:.2f})")
        return Answer("reject", f"worth {worth:.2f} to us, below {target:.2f}")


class Boulware(TimeDependent):
    """Holds firm and concedes late (e = 0.2 unless set)."""

    name = "boulware"
    default_e = 0.2


class Conceder(TimeDependent):
    """Concedes early (e = 2.0 unless set)."""

    name = "conceder"
    default_e = 2.0
