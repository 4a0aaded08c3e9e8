"""Time-dependent tactics (Faratin, Sierra and Jennings, 1998): ``boulware`` and ``conceder``.

The target utility falls from the best acceptable package's utility towards the reservation
value as rounds pass: ``target(t) = r + (u_max - r) * (1 - t ** (1 / e))``. Boulware (e < 1)
holds firm until late; a conceder (e > 1) gives ground early. The delegation tables the
package nearest its target that moves toward the others' positions and breaks none of its own
active red lines, and accepts any package worth at least its current target.
"""

from __future__ import annotations

from clients.strategies.base import TableState, TargetStrategy


class TimeDependent(TargetStrategy):
    """Options: ``e`` (concession exponent), ``floor`` (overrides the reservation value)."""

    name = "time_dependent"
    OPTIONS = {**TargetStrategy.OPTIONS, "e": float, "floor": float}
    default_e = 1.0

    def target(self, state: TableState) -> float:
        """Return the utility the delegation aims at in this round."""
        ideal = state.position.ideal()
        best = state.position.value(ideal) if ideal else 1.0
        utility = state.position.utility
        floor = float(self.options.get("floor", utility.reservation if utility else 0.0))
        e = float(self.options.get("e", self.default_e))
        return float(floor + (best - floor) * (1.0 - state.time ** (1.0 / e)))


class Boulware(TimeDependent):
    """Holds firm and concedes late (e = 0.2 unless set)."""

    name = "boulware"
    default_e = 0.2


class Conceder(TimeDependent):
    """Concedes early (e = 2.0 unless set)."""

    name = "conceder"
    default_e = 2.0
