from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain import redline
from service.domain.agenda import build_agenda
from service.domain.checker import Checker, Status, Verdict, check_package
from service.domain.errors import InvalidInput
from service.domain.redline.evaluate import compile_red_line
from service.domain.redline.red_line import RedLine, RedLineStatus
from tests.domain.naive import completions, evaluate, holds
from tests.generators import agendas, packages, trees_json

AGENDA = build_agenda(
    [
        {
            "key": "assad_role",
            "kind": "options",
            "options": ["full_powers", "reduced_powers", "transition_then_exit", "exit_at_signing"],
        },
        {"key": "us_withdrawal_months", "kind": "integer", "min": 0, "max": 60},
        {"key": "joint_cell", "kind": "boolean"},
    ]
)


def red_line(rid, party, text, **kw):
    return RedLine(rid, party, f"line {rid}", text, redline.parse_expr(text, AGENDA), **kw)


LINES = [
    red_line(1, "government", "assad_role != exit_at_signing"),
    red_line(2, "kurds", "joint_cell -> us_withdrawal_months >= 24"),
    red_line(3, "russia", "us_withdrawal_months <= 36"),
]


def test_full_package_satisfying_everything_is_clear():
    report = check_package(
        AGENDA,
        LINES,
        {"assad_role": "reduced_powers", "us_withdrawal_months": 30, "joint_cell": True},
    )
    assert report.complete
    assert report.verdict is Verdict.CLEAR
    assert {s for _, s in report.statuses()} == {Status.SATISFIED}


def test_violations_name_the_red_lines_that_fail():
    report = check_package(
        AGENDA,
        LINES,
        {"assad_role": "exit_at_signing", "us_withdrawal_months": 48, "joint_cell": False},
    )
    assert report.verdict is Verdict.VIOLATIONS
    assert [rl.id for rl in report.violated()] == [1, 3]
    assert [rl.id for rl in report.violated("russia")] == [3]


def test_partial_package_is_undetermined_until_decided():
    report = check_package(AGENDA, LINES, {"joint_cell": True})
    assert not report.complete
    assert report.verdict is Verdict.UNDETERMINED
    by_id = {rl.id: s for rl, s in report.statuses()}
    assert by_id == {1: Status.UNDETERMINED, 2: Status.UNDETERMINED, 3: Status.UNDETERMINED}
    decided = check_package(AGENDA, LINES, {"joint_cell": False, "us_withdrawal_months": 50})
    assert {rl.id: s for rl, s in decided.statuses()}[2] is Status.SATISFIED
    assert decided.verdict is Verdict.VIOLATIONS


def test_relaxed_red_lines_are_not_checked():
    relaxed = [replace(LINES[0], status=RedLineStatus.RELAXED), *LINES[1:]]
    report = check_package(
        AGENDA,
        relaxed,
        {"assad_role": "exit_at_signing", "us_withdrawal_months": 10, "joint_cell": False},
    )
    assert report.verdict is Verdict.CLEAR
    assert sorted(rl.id for rl in report.red_lines) == [2, 3]


def test_invalid_package_is_refused_before_checking():
    with pytest.raises(InvalidInput):
        check_package(AGENDA, LINES, {"assad_role": "abdicate"})


def test_red_line_over_a_huge_integer_domain_is_not_tabulated_but_still_checked():
    big = build_agenda([{"key": "budget", "kind": "integer", "min": 0, "max": 2_000_000_000}])
    node = redline.parse_expr("budget <= 1500000000", big)
    assert compile_red_line(node, big).table is None
    checker = Checker(big, [RedLine(1, "p", "cap", "budget <= 1500000000", node)])
    assert checker.check({"budget": 1_500_000_001}).verdict is Verdict.VIOLATIONS
    assert checker.check({"budget": 7}).verdict is Verdict.CLEAR


@st.composite
def scenarios(draw, max_lines=5):
    agenda = draw(agendas())
    trees = draw(st.lists(trees_json(agenda, max_leaves=5), min_size=1, max_size=max_lines))
    lines = [
        RedLine(i + 1, f"p{i % 3}", f"l{i}", "", redline.node_from_json(tree, agenda))
        for i, tree in enumerate(trees)
    ]
    return agenda, trees, lines


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_checker_agrees_with_brute_force_on_full_packages(scenario, data):
    agenda, trees, lines = scenario
    package = data.draw(packages(agenda, full=True))
    report = Checker(agenda, lines).check(package)
    expected = {
        line.id: holds(tree, package, agenda) for line, tree in zip(lines, trees, strict=True)
    }
    assert {
        rl.id: outcome for rl, outcome in zip(report.red_lines, report.outcomes, strict=True)
    } == expected


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_three_valued_outcome_is_sound_for_every_completion(scenario, data):
    agenda, trees, lines = scenario
    partial = data.draw(packages(agenda))
    report = Checker(agenda, lines).check(partial)
    for line, tree, outcome in zip(lines, trees, _by_id(report, lines), strict=True):
        truths = {holds(tree, full, agenda) for full in completions(partial, agenda)}
        if outcome is not None:
            assert truths == {outcome}, (line, partial)
        # and exactly as undetermined as Kleene's logic says, no more and no less
        assert evaluate(tree, partial, agenda) == outcome


def _by_id(report, lines):
    outcome = dict(zip((rl.id for rl in report.red_lines), report.outcomes, strict=True))
    return [outcome[line.id] for line in lines]


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.data())
def test_relaxing_a_red_line_never_adds_a_violation(scenario, data):
    agenda, _, lines = scenario
    package = data.draw(packages(agenda))
    chosen = data.draw(st.sampled_from(lines))
    before = Checker(agenda, lines).check(package)
    relaxed = [
        replace(line, status=RedLineStatus.RELAXED) if line is chosen else line for line in lines
    ]
    after = Checker(agenda, relaxed).check(package)
    assert {rl.id for rl in after.violated()} <= {rl.id for rl in before.violated()}
    assert not (after.verdict is Verdict.VIOLATIONS and before.verdict is not Verdict.VIOLATIONS)


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.data())
def test_a_full_package_satisfying_every_red_line_is_clear(scenario, data):
    agenda, trees, lines = scenario
    package = data.draw(packages(agenda, full=True))
    all_hold = all(holds(tree, package, agenda) for tree in trees)
    report = Checker(agenda, lines).check(package)
    assert (report.verdict is Verdict.CLEAR) == all_hold
    assert Checker(agenda, lines).is_clear(package) == all_hold
