"""Small agendas, every package enumerated: the solver must find every optimum and every
minimal conflict set that brute force finds, and nothing brute force rules out."""

import math
from dataclasses import replace

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from service.analysis.feasibility import analyse
from service.analysis.frontier import frontier
from service.analysis.mediation import suggest
from service.analysis.repair import repair
from service.analysis.utility import SCALE, model_utility, scaled
from service.domain.agenda import build_agenda
from service.domain.checker import Checker
from service.domain.preferences import build_preferences
from service.domain.redline.red_line import RedLineStatus
from tests.analysis.brute import (
    feasible_sets,
    minimal_conflicts,
    red_lines_from,
    satisfying,
    tables,
)
from tests.analysis.brute import scaled as scaled_utilities
from tests.generators import agendas, packages, trees_json

SMALL = agendas(max_issues=3)


@st.composite
def red_line_sets(draw):
    agenda = draw(SMALL)
    trees = draw(st.lists(trees_json(agenda, max_leaves=3), min_size=1, max_size=6))
    return agenda, trees


@settings(max_examples=150, deadline=None)
@given(red_line_sets())
def test_feasibility_and_every_minimal_conflict_set_match_brute_force(case):
    agenda, trees = case
    lines = red_lines_from(trees, agenda)
    kept = feasible_sets(trees, agenda)
    everything = frozenset(rl.id for rl in lines)
    expected = minimal_conflicts(everything, kept)
    result = analyse(agenda, lines, limit=20)
    event(f"{len(expected)} minimal conflict sets")
    assert result.feasible is (not expected)
    assert not result.timed_out
    if result.feasible:
        assert Checker(agenda, lines).is_clear(result.witness)
        assert result.conflicts == []
    else:
        assert result.witness is None
        found = {frozenset(rl.id for rl in conflict) for conflict in result.conflicts}
        assert len(found) == len(result.conflicts), "a conflict set was listed twice"
        assert result.exhausted
        assert found == expected


@settings(max_examples=60, deadline=None)
@given(red_line_sets(), st.integers(1, 2))
def test_a_limited_search_lists_true_conflicts_and_says_whether_there_are_more(case, limit):
    agenda, trees = case
    lines = red_lines_from(trees, agenda)
    expected = minimal_conflicts({rl.id for rl in lines}, feasible_sets(trees, agenda))
    result = analyse(agenda, lines, limit=limit)
    found = {frozenset(rl.id for rl in conflict) for conflict in result.conflicts}
    assert found <= expected
    assert len(found) == min(limit, len(expected))
    assert result.exhausted is (len(expected) <= limit)


def test_relaxed_red_lines_are_left_out():
    agenda = build_agenda([{"key": "x", "kind": "integer", "min": 0, "max": 9}])
    low, high = red_lines_from(
        [{"op": "lt", "issue": "x", "value": 3}, {"op": "gt", "issue": "x", "value": 5}], agenda
    )
    assert analyse(agenda, [low, high]).feasible is False
    relaxed = analyse(agenda, [low, replace(high, status=RedLineStatus.RELAXED)])
    assert relaxed.feasible is True
    assert relaxed.witness["x"] < 3


def _gains(utilities, floors):
    return {p: utilities[p] - scaled(floor) for p, floor in floors.items()}


def _floors(prefs, raised):
    return {p: raised.get(p, prefs[p].reservation) for p in prefs}


OBJECTIVES = {
    "welfare": (True, lambda u, g: sum(u.values())),
    "maximin": (False, lambda u, g: min(g.values())),
    "nash": (True, lambda u, g: math.prod(g.values()) if min(g.values()) >= 1 else -1),
}
RAISED = st.dictionaries(
    st.sampled_from(["p0", "p1"]), st.sampled_from([0.3, 0.45, 0.6, 0.75]), max_size=2
)


def _near_tie():
    """Two packages whose Nash products tie in exact utilities (0.4 x 0.1 = 0.15 x 0.2667 = 0.04)
    but not in the model's scaled utilities (4000 x 1000 > 1500 x 2666): the suggestion must
    be the larger of the two products, not the one met last with a larger float."""
    agenda = build_agenda(
        [
            {"key": "i0", "kind": "options", "options": ["i0_o0", "i0_o1", "i0_o2"]},
            {"key": "i1", "kind": "options", "options": ["i1_o0", "i1_o1", "i1_o2", "i1_o3"]},
        ]
    )
    documents = {
        "p0": {
            "weights": {"i0": 1, "i1": 1},
            "scores": {
                "i0": {"i0_o0": 1.0, "i0_o1": 0.0, "i0_o2": 0.0},
                "i1": {"i1_o0": 0.0, "i1_o1": 0.9, "i1_o2": 0.0, "i1_o3": 0.4},
            },
            "reservation": 0.3,
        },
        "p1": {
            "weights": {"i0": 4, "i1": 2},
            "scores": {
                "i0": {"i0_o0": 0.1, "i0_o1": 0.5, "i0_o2": 0.0},
                "i1": {"i1_o0": 0.0, "i1_o1": 0.7, "i1_o2": 0.0, "i1_o3": 1.0},
            },
            "reservation": 0.3,
        },
    }
    prefs = {p: build_preferences(doc, agenda) for p, doc in documents.items()}
    return agenda, [], prefs


def _near_tie_with_floors():
    """The same on integer and boolean issues with raised floors: 0.05 x 0.175 = 0.1167 x 0.075
    exactly, 500 x 1750 > 1167 x 750 as the model scores them."""
    agenda = build_agenda(
        [
            {"key": "i0", "kind": "integer", "min": 0, "max": 3},
            {"key": "i1", "kind": "boolean"},
            {"key": "i2", "kind": "boolean"},
        ]
    )
    documents = {
        "p0": {
            "weights": {"i0": 2, "i1": 1, "i2": 0},
            "scores": {
                "i0": [[0, 1.0], [3, 0.7]],
                "i1": {"true": 0.0, "false": 1.0},
                "i2": {"true": 0.0, "false": 0.0},
            },
            "reservation": 0.0,
        },
        "p1": {
            "weights": {"i0": 4, "i1": 1, "i2": 5},
            "scores": {
                "i0": [[0, 0.25], [3, 1.0]],
                "i1": {"true": 0.0, "false": 0.25},
                "i2": {"true": 1.0, "false": 0.0},
            },
            "reservation": 0.0,
        },
    }
    prefs = {p: build_preferences(doc, agenda) for p, doc in documents.items()}
    return agenda, [], prefs


@settings(max_examples=120, deadline=None)
@given(tables(SMALL), st.sampled_from(sorted(OBJECTIVES)), RAISED)
@example(_near_tie(), "nash", {})
@example(_near_tie_with_floors(), "nash", {"p0": 0.75, "p1": 0.75})
def test_mediation_reaches_the_brute_force_optimum(table, objective, raised):
    agenda, lines, prefs = table
    floors = _floors(prefs, raised)
    rational, score = OBJECTIVES[objective]
    clear = satisfying(lines, agenda)

    def value(package):
        utilities = scaled_utilities(prefs, package)
        gains = _gains(utilities, floors)
        if rational and min(gains.values()) < 0:
            return -math.inf
        return score(utilities, gains)

    optimum = max((value(p) for p in clear), default=-math.inf)
    result = suggest(agenda, lines, prefs, objective, floors=raised)
    event(f"{objective}: {'no deal' if optimum in (-math.inf, -1) else 'optimum'}")
    assert result.floors == floors
    if optimum in (-math.inf, -1):
        assert result.suggestions == []
        assert result.reason
        return
    [best] = result.suggestions
    assert best.status == "optimal"
    assert Checker(agenda, lines).is_clear(best.package)
    assert value(best.package) == optimum
    assert best.utilities == {p: prefs[p].utility(best.package) for p in prefs}
    if objective == "nash":
        assert best.gap == 0.0


CLAIMS = st.dictionaries(
    st.sampled_from(["p0", "p1", "p2"]), st.sampled_from([0.5, 0.7, 0.9, 1.0]), max_size=3
)


@settings(max_examples=80, deadline=None)
@given(tables(SMALL), CLAIMS)
def test_kalai_smorodinsky_reaches_the_brute_force_optimum(table, claims):
    agenda, lines, prefs = table
    claims = {p: c for p, c in claims.items() if p in prefs}
    clear = satisfying(lines, agenda)
    reservations = _floors(prefs, {})
    rational = [
        p
        for p in clear
        if all(v >= scaled(reservations[k]) for k, v in scaled_utilities(prefs, p).items())
    ]
    result = suggest(agenda, lines, prefs, "kalai", claims=claims)
    if not rational:
        assert result.suggestions == []
        return
    ideal = {k: max(scaled_utilities(prefs, p)[k] for p in rational) for k in prefs}
    ideal |= {k: scaled(c) for k, c in claims.items()}

    def share(package):
        gains = _gains(scaled_utilities(prefs, package), reservations)
        rooms = {k: ideal[k] - scaled(reservations[k]) for k in prefs}
        return min((gains[k] * SCALE // rooms[k] for k in prefs if rooms[k] > 0), default=SCALE)

    [best] = result.suggestions
    assert best.status == "optimal"
    assert min(share(best.package), SCALE) == min(max(share(p) for p in rational), SCALE)


def dominates(a, b):
    return all(a[k] >= b[k] for k in a) and any(a[k] > b[k] for k in a)


@settings(max_examples=80, deadline=None)
@given(tables(SMALL), st.integers(1, 3))
def test_suggestions_are_distinct_and_the_pareto_flag_is_right(table, limit):
    agenda, lines, prefs = table
    clear = satisfying(lines, agenda)
    result = suggest(agenda, lines, prefs, "welfare", limit=limit)
    packages_seen = [tuple(sorted(s.package.items())) for s in result.suggestions]
    assert len(set(packages_seen)) == len(packages_seen)
    for suggestion in result.suggestions:
        mine = scaled_utilities(prefs, suggestion.package)
        beaten = any(dominates(scaled_utilities(prefs, p), mine) for p in clear)
        assert suggestion.pareto_optimal is (not beaten)
    values = [sum(scaled_utilities(prefs, s.package).values()) for s in result.suggestions]
    assert values == sorted(values, reverse=True)


@settings(max_examples=60, deadline=None)
@given(tables(SMALL))
def test_the_frontier_of_two_parties_is_exactly_the_non_dominated_pairs(table):
    agenda, lines, prefs = table
    a, b = "p0", "p1"
    pair = {a: prefs[a], b: prefs[b]}
    clear = satisfying(lines, agenda)
    pairs = {tuple(scaled_utilities(pair, p)[k] for k in (a, b)) for p in clear}
    expected = sorted(
        (x for x in pairs if not any(y[0] >= x[0] and y[1] >= x[1] and y != x for y in pairs)),
        reverse=True,
    )
    walk = frontier(agenda, lines, prefs, a, b, limit=500)
    points, complete = walk.points, walk.complete
    assert not walk.timed_out
    assert complete
    got = [tuple(scaled_utilities(pair, p.package)[k] for k in (a, b)) for p in points]
    assert got == expected


@st.composite
def repairs(draw):
    agenda, lines, prefs = draw(tables(SMALL, lines=(1, 4)))
    return agenda, lines, prefs["p0"], draw(packages(agenda, full=None))


@settings(max_examples=100, deadline=None)
@given(repairs(), st.booleans())
def test_repair_changes_fewest_issues_then_loses_least(case, with_preferences):
    agenda, lines, prefs, given_package = case
    clear = satisfying(lines, agenda)
    result = repair(agenda, lines, given_package, preferences=prefs if with_preferences else None)
    if not clear:
        assert result.package is None
        assert result.proved
        return
    assert result.proved
    assert Checker(agenda, lines).is_clear(result.package)

    def changes(package):
        return sum(package[k] != v for k, v in given_package.items())

    fewest = min(changes(p) for p in clear)
    assert changes(result.package) == fewest
    assert result.changed == [k for k, v in given_package.items() if result.package[k] != v]
    if with_preferences:
        best = max(model_utility(prefs, p) for p in clear if changes(p) == fewest)
        assert model_utility(prefs, result.package) == best
