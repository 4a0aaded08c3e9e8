"""Outcome measures against brute force: every package of a small agenda enumerated."""

import math

from hypothesis import event, given, settings
from hypothesis import strategies as st

from service.analysis.measures import distance, measure
from service.analysis.utility import SCALE, scaled
from service.domain.agenda import build_agenda
from service.domain.checker import Checker
from service.domain.preferences import build_preferences
from tests.analysis.brute import every_package, satisfying, tables
from tests.analysis.brute import scaled as scaled_utilities
from tests.generators import agendas

SMALL = agendas(max_issues=3)


def dominates(a, b):
    return all(a[k] >= b[k] for k in a) and any(a[k] > b[k] for k in a)


@st.composite
def measured(draw):
    agenda, lines, prefs = draw(tables(SMALL))
    package = draw(st.sampled_from(every_package(agenda)))
    return agenda, lines, prefs, package


@settings(max_examples=120, deadline=None)
@given(measured())
def test_pareto_flag_and_joint_gain_match_brute_force(case):
    agenda, lines, prefs, package = case
    clear = satisfying(lines, agenda)
    mine = scaled_utilities(prefs, package)
    result = measure(agenda, lines, prefs, package)
    assert not result.timed_out
    beaten = any(dominates(scaled_utilities(prefs, p), mine) for p in clear)
    event("dominated" if beaten else "pareto-optimal")
    assert result.pareto_optimal is (not beaten)
    best = max(
        (min(scaled_utilities(prefs, p)[k] - mine[k] for k in prefs) for p in clear),
        default=0,
    )
    assert result.joint.status == "optimal"
    assert result.joint.gain == max(0, best) / SCALE
    if best > 0:
        # The package offered gives every party at least that much more.
        gains = scaled_utilities(prefs, result.joint.package)
        assert Checker(agenda, lines).is_clear(result.joint.package)
        assert min(gains[k] - mine[k] for k in prefs) == best
    else:
        assert result.joint.package is None
    # A Pareto-optimal package leaves nothing on the table.
    if result.pareto_optimal:
        assert result.joint.gain == 0


@settings(max_examples=80, deadline=None)
@given(measured())
def test_gains_and_distances_are_measured_from_the_packages_found(case):
    agenda, lines, prefs, package = case
    clear = satisfying(lines, agenda)
    result = measure(agenda, lines, prefs, package)
    assert result.parties == sorted(prefs)
    assert result.utilities == {p: prefs[p].utility(package) for p in prefs}
    for party in prefs:
        assert result.gains_over_reservation[party] == (
            prefs[party].utility(package) - prefs[party].reservation
        )
    welfare = result.targets["welfare"]
    rational = [
        p
        for p in clear
        if all(v >= scaled(prefs[k].reservation) for k, v in scaled_utilities(prefs, p).items())
    ]
    if not rational:
        assert welfare.package is None
        assert welfare.status == "none"
        return
    assert welfare.status == "optimal"
    assert sum(scaled_utilities(prefs, welfare.package).values()) == max(
        sum(scaled_utilities(prefs, p).values()) for p in rational
    )
    for target in result.targets.values():
        if target.package is None:
            continue
        assert Checker(agenda, lines).is_clear(target.package)
        expected = math.sqrt(
            sum((prefs[p].utility(package) - prefs[p].utility(target.package)) ** 2 for p in prefs)
        )
        assert math.isclose(target.distance, expected)
    if welfare.package == package:
        assert welfare.distance == 0


def test_distance_is_euclidean_in_utility_space():
    assert math.isclose(distance({"a": 0.5, "b": 0.2}, {"a": 0.2, "b": 0.6}), 0.5)


def test_a_dominated_settlement_shows_what_was_left_on_the_table():
    agenda = build_agenda(
        [
            {"key": "x", "kind": "integer", "min": 0, "max": 4},
            {"key": "y", "kind": "boolean"},
        ]
    )
    # Both parties want y; they disagree on x.
    a = build_preferences(
        {
            "weights": {"x": 1, "y": 1},
            "scores": {"x": [[0, 1.0], [4, 0.0]], "y": {"true": 1.0, "false": 0.0}},
        },
        agenda,
    )
    b = build_preferences(
        {
            "weights": {"x": 1, "y": 1},
            "scores": {"x": [[0, 0.0], [4, 1.0]], "y": {"true": 1.0, "false": 0.0}},
        },
        agenda,
    )
    result = measure(agenda, [], {"a": a, "b": b}, {"x": 2, "y": False})
    assert result.pareto_optimal is False
    assert result.joint.gain == 0.5
    assert result.joint.package == {"x": 2, "y": True}
    assert result.targets["welfare"].distance is not None
