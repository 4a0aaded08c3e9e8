"""How good an outcome is: measures of one package against every package the red lines allow.

For a package (a settlement, or any proposal), over the packages that break no active red
line and the parties with preferences:

- ``pareto_optimal``: no package is at least as good for every party and better for one.
- ``joint_gain``: the largest gain every party could have had at once (each party's utility
  raised by the same amount, the most that can be): the money left on the table; 0 when
  none is left.
- distances, in utility space (Euclidean, over the parties' utilities), to the Nash,
  Kalai-Smorodinsky and maximum-welfare packages (``mediation.suggest``'s).
- each party's gain over its reservation value (exact arithmetic, no search).

Every search shares one time limit; each measure says whether it was proved ("optimal") or
cut short ("feasible": the best found; "unknown": nothing found in time). Comparisons are
on utilities as the model scores them (rounded to 1 / SCALE per issue), like every other
solver answer.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from service.analysis.mediation import suggest
from service.analysis.search import Search, pareto_optimal
from service.analysis.solve import Limits, found
from service.analysis.utility import SCALE, model_utility
from service.domain.agenda import Agenda, Package
from service.domain.preferences import Preferences
from service.domain.redline.red_line import RedLine

TARGETS = ("nash", "kalai", "welfare")


@dataclass(frozen=True)
class Target:
    """A reference package (Nash, Kalai or welfare) and how far the measured one lies from it."""

    objective: str
    package: Package | None
    utilities: dict[str, float]
    distance: float | None
    status: str  # "optimal", "feasible" (time limit: the best found) or "none" (no package)
    reason: str | None = None


@dataclass(frozen=True)
class JointGain:
    """The largest gain every party could have had at once, and a package that gives it."""

    gain: float | None  # None when the time limit ran out before any answer
    package: Package | None
    utilities: dict[str, float]
    status: str  # "optimal", "feasible" or "unknown"


@dataclass
class Measures:
    """The measures of one package."""

    package: Package
    parties: list[str]
    utilities: dict[str, float]
    reservations: dict[str, float]
    gains_over_reservation: dict[str, float]
    pareto_optimal: bool | None  # None when the time limit left it open
    joint: JointGain
    targets: dict[str, Target] = field(default_factory=dict)
    seconds: float = 0.0
    timed_out: bool = False


def distance(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Return the Euclidean distance between two utility vectors over the same parties."""
    return math.dist([a[p] for p in a], [b[p] for p in a])


def _joint_gain(search: Search, package: Package) -> JointGain:
    from ortools.sat.python import cp_model

    preferences = search.preferences
    model, encoding, utilities = search.build(rational=False)
    current = {p: model_utility(prefs, package) for p, prefs in preferences.items()}
    # Per-issue rounding can lift a scaled utility a little above SCALE.
    top = SCALE + len(search.agenda.issues)
    gain = model.new_int_var(-top, top, "joint_gain")
    for party, utility in utilities.items():
        model.add(utility - current[party] >= gain)
    model.maximize(gain)
    solver, status = search.solve(model)
    if status == cp_model.INFEASIBLE:  # no package keeps every active red line
        return JointGain(0.0, None, {}, "optimal")
    if not found(status):
        return JointGain(None, None, {}, "unknown")
    best = int(solver.value(gain))
    state = "optimal" if status == cp_model.OPTIMAL else "feasible"
    if best <= 0:
        return JointGain(0.0, None, {}, state)
    better = encoding.package(solver)
    worth = {p: prefs.utility(better) for p, prefs in preferences.items()}
    return JointGain(best / SCALE, better, worth, state)


def measure(
    agenda: Agenda,
    red_lines: Sequence[RedLine],
    preferences: Mapping[str, Preferences],
    package: Package,
    *,
    limits: Limits | None = None,
) -> Measures:
    """Measure a full ``package`` against the packages keeping every active red line."""
    started = time.monotonic()
    parties = sorted(preferences)
    ordered = {p: preferences[p] for p in parties}
    search = Search(agenda, red_lines, ordered, limits or Limits())
    utilities = {p: prefs.utility(package) for p, prefs in ordered.items()}
    reservations = {p: prefs.reservation for p, prefs in ordered.items()}
    result = Measures(
        package=dict(package),
        parties=parties,
        utilities=utilities,
        reservations=reservations,
        gains_over_reservation={p: utilities[p] - reservations[p] for p in parties},
        pareto_optimal=None,
        joint=JointGain(None, None, {}, "unknown"),
    )
    if not ordered:
        result.seconds = time.monotonic() - started
        return result
    result.pareto_optimal = pareto_optimal(search, package)
    result.joint = _joint_gain(search, package)
    for objective in TARGETS:
        answer = suggest(
            agenda, red_lines, ordered, objective, limits=search.left(), prove_pareto=False
        )
        search.cut_short = search.cut_short or answer.timed_out
        if not answer.suggestions:
            result.targets[objective] = Target(objective, None, {}, None, "none", answer.reason)
            continue
        best = answer.suggestions[0]
        result.targets[objective] = Target(
            objective,
            best.package,
            best.utilities,
            distance(utilities, best.utilities),
            best.status,
        )
    result.timed_out = search.cut_short
    result.seconds = time.monotonic() - started
    return result
