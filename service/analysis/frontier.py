"""Two parties' Pareto frontier, walked point by point over packages that keep every red line."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from service.analysis.search import Search
from service.analysis.solve import Limits, found
from service.analysis.utility import SCALE
from service.domain.agenda import Agenda, Package
from service.domain.preferences import Preferences
from service.domain.redline.red_line import RedLine


@dataclass
class FrontierPoint:
    """A package on the two parties' Pareto frontier."""

    package: Package
    utilities: dict[str, float]


@dataclass
class Walk:
    """A walk along two parties' Pareto frontier, and how it ended."""

    points: list[FrontierPoint]
    complete: bool  # it reached the second party's best: not cut by the limit or the time
    timed_out: bool  # the time limit cut it short
    seconds: float


def frontier(
    agenda: Agenda,
    red_lines: Sequence[RedLine],
    preferences: Mapping[str, Preferences],
    first: str,
    second: str,
    *,
    limit: int = 50,
    limits: Limits | None = None,
) -> Walk:
    """Walk the Pareto frontier of two parties over packages that keep every red line.

    Walks from the first party's best to the second's: each point maximises the first
    party's utility given at least a little more for the second than the last point gave.
    Returns the points, whether the walk finished (not cut by ``limit`` or time), and the
    seconds it took.
    """
    from ortools.sat.python import cp_model

    started = time.monotonic()
    pair = {first: preferences[first], second: preferences[second]}
    search = Search(agenda, red_lines, pair, limits or Limits())
    points: list[FrontierPoint] = []
    complete = False
    model, encoding, utilities = search.build(rational=False)
    # One model for the whole walk: each step only raises this floor.
    floor = model.add_linear_constraint(utilities[second], 0, cp_model.INT_MAX)
    # Per-issue rounding can lift a scaled utility up to n / 2 above SCALE: the weight
    # must exceed the second party's whole range, so the first party's utility comes first.
    model.maximize(utilities[first] * (SCALE + len(agenda.issues) + 1) + utilities[second])
    # One point more than asked says whether the walk is over.
    while len(points) <= limit:
        # Each step is a small search: one worker answers it sooner than several.
        solver, status = search.solve(model, workers=1)
        if not found(status):
            complete = status == cp_model.INFEASIBLE
            break
        package = encoding.package(solver)
        points.append(
            FrontierPoint(package, {p: prefs.utility(package) for p, prefs in pair.items()})
        )
        floor.proto.linear.domain[0] = int(solver.value(utilities[second])) + 1
        if status != cp_model.OPTIMAL:
            break
    return Walk(
        points[:limit],
        complete and len(points) <= limit,
        search.cut_short,
        time.monotonic() - started,
    )
