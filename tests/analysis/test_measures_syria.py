"""The measures on the flagship scenario, held to a direct enumeration of every package within
two issues of the measured one (the whole space, 2.3e9 packages, is too large to list)."""

import itertools

import pytest

from service.analysis.feasibility import analyse
from service.analysis.measures import measure
from service.analysis.utility import SCALE, model_utility
from service.domain.checker import Checker
from tests.analysis.test_syria import AGENDA, PREFERENCES, RELAXED

CHECKER = Checker(AGENDA, RELAXED)


def scaled(package):
    return {p: model_utility(prefs, package) for p, prefs in PREFERENCES.items()}


def neighbours(package):
    """Every package that keeps every red line and differs from ``package`` in one or two issues."""
    for size in (1, 2):
        for issues in itertools.combinations(AGENDA.issues, size):
            domains = [[v for v in issue.values() if v != package[issue.key]] for issue in issues]
            for values in itertools.product(*domains):
                other = dict(package)
                other.update({issue.key: v for issue, v in zip(issues, values, strict=True)})
                if CHECKER.is_clear(other):
                    yield other


def best_joint_gain_nearby(package):
    mine = scaled(package)
    return max(min(scaled(p)[k] - mine[k] for k in mine) for p in neighbours(package))


@pytest.fixture(scope="module")
def witness():
    return analyse(AGENDA, RELAXED).witness


def test_an_arbitrary_clear_package_leaves_a_gain_the_enumeration_cannot_beat(witness):
    result = measure(AGENDA, RELAXED, PREFERENCES, witness)
    assert not result.timed_out
    assert result.pareto_optimal is False
    assert result.joint.status == "optimal"
    assert result.joint.gain > 0
    better = result.joint.package
    assert CHECKER.is_clear(better)
    mine, theirs = scaled(witness), scaled(better)
    assert min(theirs[k] - mine[k] for k in mine) == round(result.joint.gain * SCALE)
    # Nothing within two issues gives every party more than the solver's optimum.
    assert best_joint_gain_nearby(witness) <= round(result.joint.gain * SCALE)


def test_the_nash_package_is_pareto_optimal_and_at_distance_zero_from_itself(witness):
    nash = measure(AGENDA, RELAXED, PREFERENCES, witness).targets["nash"].package
    result = measure(AGENDA, RELAXED, PREFERENCES, nash)
    assert result.pareto_optimal is True
    assert result.joint.gain == 0
    assert result.targets["nash"].distance == 0
    assert all(t.status == "optimal" for t in result.targets.values())
    mine = scaled(nash)
    # No package within two issues dominates it.
    for other in neighbours(nash):
        theirs = scaled(other)
        assert not (
            all(theirs[k] >= mine[k] for k in mine) and any(theirs[k] > mine[k] for k in mine)
        )
    for party, gain in result.gains_over_reservation.items():
        assert gain == PREFERENCES[party].utility(nash) - PREFERENCES[party].reservation
        assert gain > 0
