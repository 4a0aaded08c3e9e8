"""Is any package possible under every active red line? If not, which red lines block it.

A minimal conflict set is a set of red lines that no package satisfies together while every
proper subset can be satisfied. Each red line gets an assumption literal; CP-SAT returns a
core of assumptions when the set is infeasible, and deletion shrinks the core to a minimal
one. Further conflicts with other causes are searched for by leaving out, in turn, one red
line of each conflict already found (a hitting set), so every new conflict differs.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from service.analysis.encode import Encoding
from service.analysis.solve import Limits
from service.domain.agenda import Agenda, Package
from service.domain.redline.red_line import RedLine


@dataclass
class Feasibility:
    """What the solver found about a set of red lines."""

    feasible: bool | None  # None: the time limit ran out before the solver could tell
    witness: Package | None = None
    conflicts: list[list[RedLine]] = field(default_factory=list)
    exhausted: bool = True  # the conflicts listed are every minimal conflict set there is
    timed_out: bool = False
    seconds: float = 0.0


class _Problem:
    """One model with an assumption literal per red line, solved under chosen assumptions."""

    def __init__(self, agenda: Agenda, red_lines: Sequence[RedLine], limits: Limits) -> None:
        from ortools.sat.python import cp_model

        self.model = cp_model.CpModel()
        self.encoding = Encoding(agenda, self.model)
        self.red_lines = list(red_lines)
        self.switch: dict[int, cp_model.IntVar] = {}
        for red_line in self.red_lines:
            on = self.model.new_bool_var(f"rl{red_line.id}")
            self.model.add_implication(on, self.encoding.literal(red_line.constraint))
            self.switch[red_line.id] = on
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.timed_out = False

    def solve(self, ids: Sequence[int]) -> tuple[bool | None, list[int], Package | None]:
        """Solve with the red lines ``ids`` on: (feasible, core of ids, witness).

        ``feasible`` is None when the time limit cut the search short.
        """
        from ortools.sat.python import cp_model

        self.model.clear_assumptions()
        self.model.add_assumptions([self.switch[i] for i in ids])
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            return None, [], None
        # Cores come from a single worker: the assumption-based search is sequential.
        solver = self.limits.solver(seconds=remaining, workers=1)
        status = solver.solve(self.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True, [], self.encoding.package(solver)
        if status == cp_model.INFEASIBLE:
            literals = set(solver.sufficient_assumptions_for_infeasibility())
            core = [i for i in ids if self.switch[i].index in literals]
            return False, core or list(ids), None
        self.timed_out = True
        return None, [], None

    def minimal(self, core: list[int]) -> list[int] | None:
        """Shrink an infeasible core to a minimal conflict set (None if time ran out)."""
        kept = list(core)
        i = 0
        while i < len(kept):
            trial = kept[:i] + kept[i + 1 :]
            feasible, smaller, _ = self.solve(trial)
            if feasible is None:
                return None
            if feasible:
                i += 1  # needed: keep it
            else:
                kept = [r for r in trial if r in set(smaller)] if smaller else trial
        return kept


def analyse(
    agenda: Agenda, red_lines: Sequence[RedLine], *, limit: int = 5, limits: Limits | None = None
) -> Feasibility:
    """Decide whether the active red lines can hold together.

    When they cannot, find up to ``limit`` minimal conflict sets with different causes.
    """
    started = time.monotonic()
    active = [rl for rl in red_lines if rl.active]
    problem = _Problem(agenda, active, limits or Limits())
    ids = [rl.id for rl in active]
    by_id = {rl.id: rl for rl in active}
    feasible, core, witness = problem.solve(ids)
    result = Feasibility(feasible=feasible, witness=witness)
    if feasible is None:
        result.timed_out, result.exhausted = True, False
    elif not feasible:
        conflicts: list[list[int]] = []
        first = problem.minimal(core)
        if first is not None:
            conflicts.append(first)
            # Looking for one more than asked says whether the list is complete.
            _more(problem, ids, conflicts, limit + 1)
        result.exhausted = not problem.timed_out and len(conflicts) <= limit
        result.conflicts = [[by_id[i] for i in sorted(c)] for c in conflicts[:limit]]
        result.timed_out = problem.timed_out
    result.seconds = time.monotonic() - started
    return result


def _more(problem: _Problem, ids: list[int], conflicts: list[list[int]], limit: int) -> None:
    """Add conflicts that avoid, in turn, one red line of each conflict found so far.

    Minimal conflict sets never contain one another, so a conflict not yet found avoids some
    red line of each one found: when no choice of one red line per conflict leaves an
    infeasible rest, every minimal conflict set has been found.
    """
    tried: set[frozenset[int]] = set()
    while len(conflicts) < limit:
        progress = False
        for hitting in itertools.product(*conflicts):
            if time.monotonic() > problem.deadline:
                problem.timed_out = True
                return
            left_out = frozenset(hitting)
            if left_out in tried:
                continue
            tried.add(left_out)
            feasible, core, _ = problem.solve([i for i in ids if i not in left_out])
            if feasible is None:
                return
            if feasible:
                continue
            conflict = problem.minimal(core)
            if conflict is None:
                return
            conflicts.append(conflict)
            progress = True
            break
        if not progress:
            return
