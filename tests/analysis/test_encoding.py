"""The CP-SAT encoding and the pure checker must never disagree."""

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from service.analysis.encode import Encoding, decode_value, encode_value
from service.domain import redline
from service.domain.checker import Checker
from service.domain.redline.red_line import RedLine
from tests.domain.naive import completions, holds
from tests.generators import agendas, packages, trees_json


def solvable(agenda, package, node, *, negate=False):
    model = cp_model.CpModel()
    encoding = Encoding(agenda, model)
    encoding.fix(package)
    literal = encoding.literal(node)
    model.add_bool_or([~literal if negate else literal])
    status = cp_model.CpSolver().solve(model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
    return status != cp_model.INFEASIBLE


@st.composite
def cases(draw, full):
    agenda = draw(agendas(max_issues=4))
    tree = draw(trees_json(agenda, max_leaves=8))
    return agenda, tree, draw(packages(agenda, full=full))


@settings(max_examples=300, deadline=None)
@given(cases(full=True))
def test_on_a_full_package_the_literal_is_true_exactly_when_the_checker_says_satisfied(case):
    agenda, tree, package = case
    node = redline.node_from_json(tree, agenda)
    checker = Checker(agenda, [RedLine(1, "p", "l", "", node)])
    satisfied = checker.is_clear(package)
    assert satisfied == holds(tree, package, agenda)
    assert solvable(agenda, package, node) is satisfied
    assert solvable(agenda, package, node, negate=True) is (not satisfied)


@settings(max_examples=200, deadline=None)
@given(cases(full=None))
def test_on_a_partial_package_the_model_finds_a_completion_exactly_when_one_exists(case):
    agenda, tree, package = case
    node = redline.node_from_json(tree, agenda)
    outcomes = {holds(tree, full, agenda) for full in completions(package, agenda)}
    assert solvable(agenda, package, node) is (True in outcomes)
    assert solvable(agenda, package, node, negate=True) is (False in outcomes)
    # The checker is three-valued (Kleene), so it may leave open what the model decides;
    # whatever it does decide, the model must confirm.
    verdict = Checker(agenda, [RedLine(1, "p", "l", "", node)]).check(package).verdict.value
    if verdict == "clear":
        assert not solvable(agenda, package, node, negate=True)
    if verdict == "violations":
        assert not solvable(agenda, package, node)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_values_round_trip_through_the_model(data):
    agenda = data.draw(agendas())
    for issue in agenda.issues:
        for value in issue.values():
            assert decode_value(issue, encode_value(issue, value)) == value
