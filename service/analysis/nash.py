"""The Nash bargaining solution: the package with the largest product of gains.

The logarithm of each gain is bounded above by tangent lines (log is concave); maximising
the sum of those bounds gives an upper bound on the log of the product, and the package
found gives a lower bound. Tangents are added at the solution's gains until the two meet or
time runs out (the gap is reported). When they meet, the packages whose logs the model's
rounding cannot tell from the optimum's are compared by their exact products of scaled
gains, and the largest is certified.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from service.analysis.encode import Encoding
from service.analysis.search import Search
from service.analysis.solve import found
from service.analysis.suggestion import Suggestion, natural
from service.analysis.utility import SCALE
from service.domain.agenda import Package

LOG_SCALE = 100_000
_TANGENTS = 16
_REFINEMENTS = 64


def nash(search: Search, excluded: list[Package]) -> Suggestion | None:
    """Return the package with the largest product of gains, other than ``excluded``."""
    from ortools.sat.python import cp_model

    model, encoding, utilities = search.build(rational=True, excluded=excluded)
    gains: dict[str, cp_model.IntVar] = {}
    logs: dict[str, cp_model.IntVar] = {}
    top = LOG_SCALE * math.log(SCALE + len(search.agenda.issues)) + LOG_SCALE
    for party, utility in utilities.items():
        # Rounding per issue can lift a scaled utility a little above SCALE.
        gain = model.new_int_var(1, SCALE + len(search.agenda.issues), f"g_{party}")
        model.add(gain == utility - search.reservation(party))
        gains[party] = gain
        logs[party] = model.new_int_var(0, math.ceil(top), f"log_{party}")
    grid = sorted({max(1, round(SCALE ** (k / (_TANGENTS - 1)))) for k in range(_TANGENTS)})
    for party in gains:
        for point in grid:
            _tangent(model, logs[party], gains[party], point)
    model.maximize(sum(logs.values()))
    best: _Candidate | None = None
    seen: set[tuple[int, ...]] = set()
    # Each round ends proved, or cut by the time limit, or with new tangents at new gains:
    # there are finitely many, so the loop ends; the cap is a guard, never reached in tests.
    for _ in range(_REFINEMENTS):
        solver, status = search.solve(model)
        if not found(status):
            return None if best is None else best.suggestion
        candidate = _Candidate.read(search, solver, encoding, gains)
        best = candidate if best is None or candidate.beats(best) else best
        upper = solver.best_objective_bound
        upper_log = upper / LOG_SCALE
        bound = math.exp(upper_log) / SCALE ** len(gains)
        if status == cp_model.OPTIMAL and (
            upper_log - math.log(math.prod(candidate.gains.values())) <= 1e-6
            or candidate.point in seen
        ):
            # Tangents already touch the log at these gains: the bound is the value itself,
            # up to the rounding of logarithms to 1 / LOG_SCALE, which _settle_ties undoes.
            seen.add(candidate.point)
            return _settle_ties(
                search,
                model,
                encoding=encoding,
                gains=gains,
                logs=logs,
                best=best,
                upper=upper,
                seen=seen,
                bound=bound,
            )
        found_now = best.suggestion
        if status != cp_model.OPTIMAL:
            return found_now
        found_now.bound = bound
        found_now.gap = max(0.0, bound / found_now.value - 1.0) if found_now.value else None
        seen.add(candidate.point)
        for party, gain in gains.items():
            _tangent(model, logs[party], gain, candidate.gains[party])
    search.cut_short = True  # the guard cut the search short, as the time limit would have
    return None if best is None else best.suggestion


@dataclass
class _Candidate:
    """A package the Nash search met, with its gains as the model scores them (exactly)."""

    suggestion: Suggestion
    gains: dict[str, int]

    @classmethod
    def read(
        cls,
        search: Search,
        solver: cp_model.CpSolver,
        encoding: Encoding,
        gains: Mapping[str, cp_model.IntVar],
    ) -> _Candidate:
        package = encoding.package(solver)
        values = {p: int(solver.value(g)) for p, g in gains.items()}
        upper_log = solver.best_objective_bound / LOG_SCALE
        suggestion = Suggestion(
            package,
            {p: prefs.utility(package) for p, prefs in search.preferences.items()},
            "nash",
            natural(search, "nash", package),
            None,
            "feasible",
            math.exp(upper_log) / SCALE ** len(values),
            max(0.0, math.exp(upper_log - sum(math.log(v) for v in values.values())) - 1.0),
        )
        return cls(suggestion, values)

    @property
    def point(self) -> tuple[int, ...]:
        """Return the gains in party order: where tangents were (or will be) added."""
        return tuple(self.gains[p] for p in sorted(self.gains))

    def beats(self, other: _Candidate) -> bool:
        """Say whether this candidate's exact product of scaled gains (an integer) is larger.

        The product of exact utilities breaks a tie.
        """
        mine = (math.prod(self.gains.values()), self.suggestion.value)
        return mine > (math.prod(other.gains.values()), other.suggestion.value)


def _settle_ties(
    search: Search,
    model: cp_model.CpModel,
    *,
    encoding: Encoding,
    gains: Mapping[str, cp_model.IntVar],
    logs: Mapping[str, cp_model.IntVar],
    best: _Candidate,
    upper: float,
    seen: set[tuple[int, ...]],
    bound: float,
) -> Suggestion:
    """Return the exact Nash optimum among the gains the model's rounding cannot tell apart.

    The model proved that no package's sum of logs exceeds ``upper``, but its logs are
    integers of 1 / LOG_SCALE: each lies at most one unit below LOG_SCALE times the true log,
    and where a tangent touches, at most one unit above. So a package whose exact product
    beats the one proved scores at least ``upper`` less two units per party. Every other
    gain vector scoring that much is met here and compared by its exact product.
    """
    from ortools.sat.python import cp_model

    model.add(sum(logs.values()) >= math.floor(upper) - 2 * len(gains) - 1)
    for point in seen:
        _rule_out(model, gains, point)
    for _ in range(_REFINEMENTS):
        solver, status = search.solve(model)
        if status == cp_model.INFEASIBLE:
            settled = best.suggestion
            settled.status, settled.gap = "optimal", 0.0
            settled.bound = max(settled.value, bound)
            return settled
        if not found(status):
            return best.suggestion  # the time limit cut the comparison short: not proved
        candidate = _Candidate.read(search, solver, encoding, gains)
        best = candidate if candidate.beats(best) else best
        _rule_out(model, gains, candidate.point)
    search.cut_short = True
    return best.suggestion


def _rule_out(
    model: cp_model.CpModel, gains: Mapping[str, cp_model.IntVar], point: tuple[int, ...]
) -> None:
    """Forbid one vector of gains (in party order)."""
    differs = []
    for party, value in zip(sorted(gains), point, strict=True):
        other = model.new_bool_var(f"not_{party}_{value}")
        model.add(gains[party] != value).only_enforce_if(other)
        differs.append(other)
    model.add_bool_or(differs)


def _tangent(
    model: cp_model.CpModel, log: cp_model.IntVar, gain: cp_model.IntVar, point: int
) -> None:
    """Log <= LOG_SCALE * (ln a + (g - a) / a), times a, rounded up: still an upper bound."""
    constant = math.ceil(LOG_SCALE * (point * math.log(point) - point))
    model.add(point * log <= constant + LOG_SCALE * gain)
