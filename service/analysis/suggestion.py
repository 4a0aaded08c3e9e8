"""A mediator's suggestion, and the exact value of an objective for a package."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from service.analysis.search import Search
from service.domain.agenda import Package


@dataclass
class Suggestion:
    """A package, what it is worth to each party, and how sure the solver is of it."""

    package: Package
    utilities: dict[str, float]
    objective: str
    value: float
    pareto_optimal: bool | None
    status: str  # "optimal", or "feasible" when the time limit cut the proof short
    bound: float | None
    gap: float | None = None


def gains(search: Search, utilities: Mapping[str, float]) -> dict[str, float]:
    """Return each party's gain above its floor."""
    return {p: utilities[p] - search.floors[p] for p in search.preferences}


def natural(search: Search, objective: str, package: Package) -> float:
    """Return the value of ``objective`` for ``package``, computed exactly."""
    utilities = {p: prefs.utility(package) for p, prefs in search.preferences.items()}
    above = gains(search, utilities)
    if objective == "nash":
        return math.prod(max(0.0, g) for g in above.values())
    if objective == "maximin":
        return min(above.values())
    return sum(utilities.values())
