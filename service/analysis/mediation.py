"""Mediation: packages that break no active red line and serve the parties best together.

Objectives, over the parties with preferences, with gains measured above each party's
reservation value:

- ``nash``: the largest product of gains. The logarithm of each gain is bounded above by
  tangent lines (log is concave); maximising the sum of those bounds gives an upper bound on
  the log of the product, and the package found gives a lower bound. Tangents are added at
  the solution's gains until the two meet or time runs out (the gap is reported). When they
  meet, the packages whose logs the model's rounding cannot tell from the optimum's are
  compared by their exact products of scaled gains, and the largest is certified.
- ``maximin``: the largest smallest gain (egalitarian), then the largest total.
- ``welfare``: the largest total utility.
- ``kalai``: Kalai-Smorodinsky: the largest equal share of each party's best possible gain,
  then the largest total. With claims (what each party asks for), the share is of each
  party's claim above its floor instead: the text that cuts every claim in the same
  proportion, as little as possible.

Every suggestion except maximin's gives each party at least its reservation value (so each
can rationally accept it). A caller may raise a party's floor above its reservation value
(a mediator who has seen what each delegation still asks for): gains are then measured
above the floors, and every suggestion gives each party at least its floor.

Utilities in the model are scaled to integers (``SCALE``); the utilities reported are
computed exactly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from service.analysis.encode import Encoding
from service.analysis.search import Search, pareto_optimal
from service.analysis.solve import Limits, found
from service.analysis.utility import SCALE, scaled
from service.domain.agenda import Agenda, Package
from service.domain.preferences import Preferences
from service.domain.redline.red_line import RedLine

OBJECTIVES = ("nash", "maximin", "welfare", "kalai")
LOG_SCALE = 100_000
_TANGENTS = 16
_REASONS = {
    "maximin": "no package keeps every active red line",
    "nash": "no package that keeps every active red line gives every party with "
    "preferences more than its floor (reservation value)",
    "welfare": "no package that keeps every active red line gives every party with "
    "preferences at least its floor (reservation value)",
}
_REASONS["kalai"] = _REASONS["welfare"]
_REFINEMENTS = 64


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


@dataclass
class Mediation:
    """Suggestions for one objective, or why there are none."""

    objective: str
    parties: list[str]
    floors: dict[str, float] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    reason: str | None = None
    timed_out: bool = False
    seconds: float = 0.0


def suggest(
    agenda: Agenda,
    red_lines: Sequence[RedLine],
    preferences: Mapping[str, Preferences],
    objective: str,
    *,
    limit: int = 1,
    limits: Limits | None = None,
    floors: Mapping[str, float] | None = None,
    claims: Mapping[str, float] | None = None,
) -> Mediation:
    """Find up to ``limit`` distinct packages best for ``objective``, best first.

    ``floors`` raises parties' floors above their reservation values; ``claims`` replace,
    for ``kalai``, the parties' best possible utilities.
    """
    started = time.monotonic()
    search = Search(agenda, red_lines, preferences, limits or Limits(), floors, claims)
    result = Mediation(objective, sorted(preferences), dict(search.floors))
    if not preferences:
        result.reason = "no party has set preferences"
        return result
    excluded: list[Package] = []
    for _ in range(limit):
        suggestion = _best(search, objective, excluded)
        if suggestion is None:
            break
        suggestion.pareto_optimal = pareto_optimal(search, suggestion.package)
        result.suggestions.append(suggestion)
        excluded.append(suggestion.package)
    if not result.suggestions:
        result.reason = _REASONS[objective]
        if objective != "maximin" and _impossible(search):
            result.reason = _REASONS["maximin"]
        if search.cut_short:
            result.reason = "the time limit ran out before a package was found"
    result.timed_out = search.cut_short
    result.seconds = time.monotonic() - started
    return result


def _best(search: Search, objective: str, excluded: list[Package]) -> Suggestion | None:
    if objective == "nash":
        return _nash(search, excluded)
    if objective == "welfare":
        model, encoding, utilities = search.build(rational=True, excluded=excluded)
        model.maximize(sum(utilities.values()))
        return _read(search, model, encoding, objective)
    if objective == "maximin":
        model, encoding, utilities = search.build(rational=False, excluded=excluded)
        least = model.new_int_var(-SCALE, SCALE, "least_gain")
        for party, utility in utilities.items():
            model.add(least <= utility - search.reservation(party))
        return _lexicographic(search, model, encoding, utilities, least, objective, excluded)
    return _kalai(search, excluded)


def _impossible(search: Search) -> bool:
    """Say whether the red lines alone rule out every package (proved, not timed out)."""
    from ortools.sat.python import cp_model

    model, _, _ = search.build(rational=False)
    _, status = search.solve(model)
    return bool(status == cp_model.INFEASIBLE)


def _gains(search: Search, utilities: Mapping[str, float]) -> dict[str, float]:
    return {p: utilities[p] - search.floors[p] for p in search.preferences}


def _natural(search: Search, objective: str, package: Package) -> float:
    utilities = {p: prefs.utility(package) for p, prefs in search.preferences.items()}
    gains = _gains(search, utilities)
    if objective == "nash":
        return math.prod(max(0.0, g) for g in gains.values())
    if objective == "maximin":
        return min(gains.values())
    return sum(utilities.values())


def _read(
    search: Search, model: cp_model.CpModel, encoding: Encoding, objective: str
) -> Suggestion | None:
    from ortools.sat.python import cp_model

    solver, status = search.solve(model)
    if not found(status):
        return None
    package = encoding.package(solver)
    utilities = {p: prefs.utility(package) for p, prefs in search.preferences.items()}
    bound = solver.best_objective_bound / SCALE
    return Suggestion(
        package,
        utilities,
        objective,
        _natural(search, objective, package),
        None,
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        bound,
    )


def _lexicographic(
    search: Search,
    model: cp_model.CpModel,
    encoding: Encoding,
    utilities: Mapping[str, cp_model.IntVar],
    first: cp_model.IntVar,
    objective: str,
    excluded: list[Package],
    proved: bool = True,
) -> Suggestion | None:
    """Maximise ``first``; then, keeping it, maximise the total utility.

    ``proved`` says whether what the model was built on was itself proved (Kalai's ideals).
    """
    from ortools.sat.python import cp_model

    model.maximize(first)
    solver, status = search.solve(model)
    if not found(status):
        return None
    best = int(solver.value(first))
    proved = proved and status == cp_model.OPTIMAL
    bound = solver.best_objective_bound
    model.add(first >= best)
    model.maximize(sum(utilities.values()))
    second, status = search.solve(model)
    proved = proved and status == cp_model.OPTIMAL
    if not found(status):
        second = solver
    package = encoding.package(second)
    return Suggestion(
        package,
        {p: prefs.utility(package) for p, prefs in search.preferences.items()},
        objective,
        _natural(search, objective, package) if objective != "kalai" else best / SCALE,
        None,
        "optimal" if proved else "feasible",
        bound / SCALE,
    )


def _kalai(search: Search, excluded: list[Package]) -> Suggestion | None:
    from ortools.sat.python import cp_model

    ideals: dict[str, int] = {p: scaled(c) for p, c in search.claims.items()}
    proved = True
    for party in search.preferences:
        if party in ideals:
            continue
        model, _, utilities = search.build(rational=True)
        model.maximize(utilities[party])
        solver, status = search.solve(model)
        if not found(status):
            return None
        proved = proved and status == cp_model.OPTIMAL
        ideals[party] = int(solver.value(utilities[party]))
    model, encoding, utilities = search.build(rational=True, excluded=excluded)
    share = model.new_int_var(0, SCALE, "share")
    for party, utility in utilities.items():
        room = ideals[party] - search.reservation(party)
        if room > 0:
            # gain / room >= share / SCALE, kept linear: gain * SCALE >= share * room
            model.add((utility - search.reservation(party)) * SCALE >= share * room)
    return _lexicographic(search, model, encoding, utilities, share, "kalai", excluded, proved)


def _nash(search: Search, excluded: list[Package]) -> Suggestion | None:
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
            _natural(search, "nash", package),
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
