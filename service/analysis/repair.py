"""Repair: the package nearest to a given one that breaks no active red line.

Nearest means fewest of the given package's issues changed; among those, the smallest loss
of the caller's own utility when it has preferences. Both are one lexicographic objective:
each change costs more than any utility difference can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from service.analysis.encode import Encoding, encode_value
from service.analysis.solve import Limits, found
from service.analysis.utility import SCALE, add_utility
from service.domain.agenda import Agenda, Package, Value
from service.domain.preferences import Preferences
from service.domain.redline.red_line import RedLine


@dataclass
class Repair:
    """A repaired package, or nothing when the red lines cannot hold together."""

    package: Package | None
    changed: list[str]
    proved: bool  # optimal when a package was found; proved impossible when none was
    seconds: float


def repair(
    agenda: Agenda,
    red_lines: Sequence[RedLine],
    package: Mapping[str, Value],
    *,
    preferences: Preferences | None = None,
    limits: Limits | None = None,
    keep: Mapping[str, Value] | None = None,
) -> Repair:
    """Find the package nearest ``package`` (which may be partial) that keeps every red line.

    The issues of ``keep`` must stay at the values given there.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    encoding = Encoding(agenda, model)
    encoding.fix(keep or {})
    for red_line in red_lines:
        if red_line.active:
            encoding.require(red_line.constraint)
    changes = []
    for key, value in package.items():
        issue = agenda.issue(key)
        changed = model.new_bool_var(f"changed_{key}")
        target = encode_value(issue, value)
        model.add(encoding.vars[key] == target).only_enforce_if(~changed)
        model.add(encoding.vars[key] != target).only_enforce_if(changed)
        changes.append(changed)
    penalty = SCALE * max(1, len(agenda.issues)) + 1
    objective = penalty * sum(changes)
    if preferences is not None:
        objective = objective - add_utility(encoding, preferences, "caller")
    model.minimize(objective)
    solver = (limits or Limits()).solver()
    status = solver.solve(model)
    if not found(status):
        return Repair(None, [], status == cp_model.INFEASIBLE, solver.wall_time)
    repaired = encoding.package(solver)
    moved = [key for key, value in package.items() if repaired[key] != value]
    return Repair(repaired, moved, status == cp_model.OPTIMAL, solver.wall_time)
