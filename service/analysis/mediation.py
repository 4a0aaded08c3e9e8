"""Mediation: packages that break no active red line and serve the parties best together.

Objectives, over the parties with preferences, with gains measured above each party's
reservation value:

- ``nash``: the largest product of gains, certified as ``service.analysis.nash`` says.
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

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from service.analysis.encode import Encoding
from service.analysis.nash import nash
from service.analysis.search import Search, pareto_optimal
from service.analysis.solve import Limits, found
from service.analysis.suggestion import Suggestion, natural
from service.analysis.utility import SCALE, scaled
from service.domain.agenda import Agenda, Package
from service.domain.preferences import Preferences
from service.domain.redline.red_line import RedLine

OBJECTIVES = ("nash", "maximin", "welfare", "kalai")
_REASONS = {
    "maximin": "no package keeps every active red line",
    "nash": "no package that keeps every active red line gives every party with "
    "preferences more than its floor (reservation value)",
    "welfare": "no package that keeps every active red line gives every party with "
    "preferences at least its floor (reservation value)",
}
_REASONS["kalai"] = _REASONS["welfare"]


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
    prove_pareto: bool = True,
) -> Mediation:
    """Find up to ``limit`` distinct packages best for ``objective``, best first.

    ``floors`` raises parties' floors above their reservation values; ``claims`` replace,
    for ``kalai``, the parties' best possible utilities. Without ``prove_pareto`` no solve
    asks whether each suggestion is Pareto-optimal (it is then None).
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
        if prove_pareto:
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
        return nash(search, excluded)
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
        natural(search, objective, package),
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
        natural(search, objective, package) if objective != "kalai" else best / SCALE,
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
