"""The search over the table that every solver answer shares: one model, one time budget.

A ``Search`` holds the agenda, the active red lines, the parties' preferences and floors and
a deadline; each ``build`` gives a fresh CP-SAT model of the packages that keep every active
red line with each party's utility in it, and ``solve`` runs it within what is left.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from service.analysis.encode import Encoding, encode_value
from service.analysis.solve import Limits, found
from service.analysis.utility import add_utility, model_utility, scaled
from service.domain.agenda import Agenda, Package
from service.domain.preferences import Preferences
from service.domain.redline.red_line import RedLine


class Search:
    """Builds a fresh model of the table per solve, all within one time budget.

    The model: the agenda's issues, every active red line required, each party's scaled
    utility; ``rational`` adds each party's floor (its reservation value unless raised),
    ``excluded`` rules out packages already suggested.
    """

    def __init__(
        self,
        agenda: Agenda,
        red_lines: Sequence[RedLine],
        preferences: Mapping[str, Preferences],
        limits: Limits,
        floors: Mapping[str, float] | None = None,
        claims: Mapping[str, float] | None = None,
    ) -> None:
        self.agenda = agenda
        self.red_lines = [rl for rl in red_lines if rl.active]
        self.preferences = dict(preferences)
        raised = floors or {}
        self.floors = {p: raised.get(p, prefs.reservation) for p, prefs in preferences.items()}
        self.claims = dict(claims or {})
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.cut_short = False

    def left(self) -> Limits:
        """Return the limits of what is left of the budget (at least 10 ms)."""
        return Limits(max(0.01, self.deadline - time.monotonic()), self.limits.workers)

    def build(
        self, *, rational: bool, excluded: Sequence[Package] = ()
    ) -> tuple[cp_model.CpModel, Encoding, dict[str, cp_model.IntVar]]:
        """Return a fresh model, its encoding and each party's utility variable."""
        from ortools.sat.python import cp_model

        model = cp_model.CpModel()
        encoding = Encoding(self.agenda, model)
        for red_line in self.red_lines:
            encoding.require(red_line.constraint)
        utilities = {p: add_utility(encoding, prefs, p) for p, prefs in self.preferences.items()}
        if rational:
            for party in self.preferences:
                model.add(utilities[party] >= self.reservation(party))
        for package in excluded:
            differs = []
            for key, value in package.items():
                other = model.new_bool_var(f"not_{key}")
                target = encode_value(self.agenda.issue(key), value)
                model.add(encoding.vars[key] != target).only_enforce_if(other)
                model.add(encoding.vars[key] == target).only_enforce_if(~other)
                differs.append(other)
            model.add_bool_or(differs)
        return model, encoding, utilities

    def solve(
        self, model: cp_model.CpModel, workers: int | None = None
    ) -> tuple[cp_model.CpSolver, Any]:
        """Solve within what is left of the budget; note when the budget cut it short."""
        from ortools.sat.python import cp_model

        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.cut_short = True
            return self.limits.solver(seconds=0.01), cp_model.UNKNOWN
        solver = self.limits.solver(seconds=remaining, workers=workers)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            self.cut_short = True
        return solver, status

    def reservation(self, party: str) -> int:
        """Return the party's floor, scaled: its reservation value unless raised."""
        return scaled(self.floors[party])


def pareto_optimal(search: Search, package: Package) -> bool | None:
    """Say whether no package is at least as good for all and better for one.

    Over packages keeping every red line, on utilities rounded to 1 / SCALE; None when the
    time limit left it open.
    """
    from ortools.sat.python import cp_model

    model, _, utilities = search.build(rational=False)
    current = {p: model_utility(prefs, package) for p, prefs in search.preferences.items()}
    for party, utility in utilities.items():
        model.add(utility >= current[party])
    model.add(sum(utilities.values()) >= sum(current.values()) + 1)
    _, status = search.solve(model)
    if status == cp_model.INFEASIBLE:
        return True
    if found(status):
        return False
    return None
