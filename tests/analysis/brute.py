"""Brute force over every package of a small agenda: the oracle the solver is held to."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

from hypothesis import strategies as st

from service.analysis.utility import model_utility
from service.domain import redline
from service.domain.agenda import Agenda, IssueKind, Package
from service.domain.checker import Checker
from service.domain.preferences import Preferences, build_preferences
from service.domain.redline.red_line import RedLine
from tests.domain.naive import completions, holds
from tests.generators import trees_json


def every_package(agenda: Agenda) -> list[Package]:
    """Every full package of the agenda."""
    return completions({}, agenda)


def red_lines_from(trees: Sequence[dict[str, Any]], agenda: Agenda) -> list[RedLine]:
    """Red lines (ids from 1, parties p0, p1, ...) over JSON trees."""
    return [
        RedLine(i + 1, f"p{i % 3}", f"line {i + 1}", "", redline.node_from_json(tree, agenda))
        for i, tree in enumerate(trees)
    ]


def satisfying(red_lines: Sequence[RedLine], agenda: Agenda) -> list[Package]:
    """The packages that keep every red line, by the pure checker."""
    checker = Checker(agenda, list(red_lines))
    return [p for p in every_package(agenda) if checker.is_clear(p)]


def feasible_sets(trees: Sequence[dict[str, Any]], agenda: Agenda) -> list[frozenset[int]]:
    """For each package, the set of red-line ids (from 1) it keeps, by the naive evaluator."""
    return [
        frozenset(i + 1 for i, tree in enumerate(trees) if holds(tree, package, agenda))
        for package in every_package(agenda)
    ]


def minimal_conflicts(ids: Iterable[int], kept: list[frozenset[int]]) -> set[frozenset[int]]:
    """Every minimal set of red lines that no package keeps together."""
    ids = sorted(ids)

    def feasible(subset: frozenset[int]) -> bool:
        return any(subset <= k for k in kept)

    out: set[frozenset[int]] = set()
    for size in range(1, len(ids) + 1):
        for combo in itertools.combinations(ids, size):
            subset = frozenset(combo)
            if any(found <= subset for found in out):
                continue
            if not feasible(subset):
                out.add(subset)
    return out


@st.composite
def preference_specs(draw: st.DrawFn, agenda: Agenda) -> dict[str, Any]:
    """A preferences document: random weights and scores over the agenda, and a reservation."""
    weights = {issue.key: draw(st.integers(0, 5)) for issue in agenda.issues}
    if not any(weights.values()):
        weights[agenda.issues[0].key] = 1
    scores: dict[str, Any] = {}
    grades = st.sampled_from([0.0, 0.1, 0.25, 0.4, 0.5, 0.7, 0.9, 1.0])
    for issue in agenda.issues:
        if issue.kind is IssueKind.INTEGER:
            scores[issue.key] = [[issue.minimum, draw(grades)], [issue.maximum, draw(grades)]]
        elif issue.kind is IssueKind.BOOLEAN:
            scores[issue.key] = {"true": draw(grades), "false": draw(grades)}
        else:
            scores[issue.key] = {option: draw(grades) for option in issue.options}
    reservation = draw(st.sampled_from([0.0, 0.1, 0.2, 0.3]))
    return {"weights": weights, "scores": scores, "reservation": reservation}


@st.composite
def tables(draw: st.DrawFn, agendas: st.SearchStrategy[Agenda], lines: tuple[int, int] = (0, 4)):
    """An agenda, red-line trees over it, and preferences for two or three parties."""
    agenda = draw(agendas)
    trees = draw(st.lists(trees_json(agenda, max_leaves=4), min_size=lines[0], max_size=lines[1]))
    parties = draw(st.integers(2, 3))
    prefs = {
        f"p{k}": build_preferences(draw(preference_specs(agenda)), agenda) for k in range(parties)
    }
    return agenda, red_lines_from(trees, agenda), prefs


def scaled(prefs: dict[str, Preferences], package: Package) -> dict[str, int]:
    """Each party's utility as the model scores it (scaled integers)."""
    return {party: model_utility(p, package) for party, p in prefs.items()}


def best(packages: Sequence[Package], score: Any) -> float:
    """The highest score over the packages (-inf when there are none)."""
    return max((score(p) for p in packages), default=-math.inf)
