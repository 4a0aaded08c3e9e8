"""Running CP-SAT with the service's limits, and reading its status plainly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Limits:
    """How long a search may take and how many workers it may use."""

    seconds: float = 5.0
    workers: int = 2

    def solver(self, seconds: float | None = None, workers: int | None = None) -> cp_model.CpSolver:
        """Return a solver with these limits (or the ones given)."""
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(
            0.01, seconds if seconds is not None else self.seconds
        )
        solver.parameters.num_workers = workers if workers is not None else self.workers
        return solver


def found(status: Any) -> bool:
    """Whether a search found a solution (proved optimal or not)."""
    from ortools.sat.python import cp_model

    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
