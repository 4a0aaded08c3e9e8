"""The client reads the red-line language as the service does (same trees, same places), and
evaluates it as the service's checker does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients.agenda import Agenda
from clients.redline import ExprError, compile_red_line, parse_expr
from clients.scenario import builtin_names, load_scenario
from service.domain import redline
from service.domain.agenda import build_agenda
from service.domain.checker import Checker
from service.domain.errors import InvalidInput
from service.domain.redline.red_line import RedLine
from tests.generators import agendas, packages, trees_json

SYRIA = load_scenario("syria-2016")
ISSUES = {issue.key: issue.api() for issue in SYRIA.issues}
AGENDA = build_agenda([issue.api() for issue in SYRIA.issues])
WRITTEN = [
    "assad_role != exit_at_signing",
    "assad_role <= reduced_powers",
    "us_withdrawal_months >= 24",
    "joint_cell -> us_withdrawal_months >= 24",
    "not (joint_cell or un_supervision) and elections_months < 30",
    "assad_role in {reduced_powers, full_powers, reduced_powers}",
    "assad_role not in {exit_at_signing}",
    "joint_cell -> un_supervision -> elections_months == 18",
    "joint_cell == false or un_supervision != true",
]
MISTAKES = [
    "assad_rol != exit_at_signing",
    "assad_role == bogus",
    "us_withdrawal_months >= 600",
    "us_withdrawal_months >= soon",
    "joint_cell < true",
    "joint_cell and and",
    "assad_role",
    "joint_cell un_supervision",
    "joint_cell == maybe",
]


def server_tree(text: str) -> dict:
    return redline.node_to_json(redline.parse_expr(text, AGENDA))


@pytest.mark.parametrize("text", WRITTEN)
def test_the_same_tree_as_the_service(text):
    assert parse_expr(text, ISSUES) == server_tree(text)


def test_every_built_in_red_line_reads_the_same():
    for name in builtin_names():
        scenario = load_scenario(name)
        issues = {issue.key: issue.api() for issue in scenario.issues}
        agenda = build_agenda([issue.api() for issue in scenario.issues])
        for party in scenario.parties:
            for red_line in party.red_lines:
                expected = redline.node_to_json(redline.parse_expr(red_line.expr, agenda))
                assert parse_expr(red_line.expr, issues) == expected


@pytest.mark.parametrize("text", MISTAKES)
def test_a_mistake_is_refused_where_the_service_refuses_it(text):
    with pytest.raises(InvalidInput) as served:
        server_tree(text)
    with pytest.raises(ExprError) as read:
        parse_expr(text, ISSUES)
    assert read.value.offset == served.value.details["errors"][0]["offset"], str(read.value)


def test_an_unclosed_parenthesis_is_refused_at_the_end_of_the_text():
    with pytest.raises(InvalidInput):
        server_tree("(joint_cell")
    with pytest.raises(ExprError) as read:
        parse_expr("(joint_cell", ISSUES)
    assert (read.value.offset, read.value.expected) == (11, "')'")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_client_evaluator_agrees_with_the_server_checker(data):
    agenda = data.draw(agendas())
    node = redline.node_from_json(data.draw(trees_json(agenda)), agenda)
    package = data.draw(packages(agenda, full=True))
    [server] = Checker(agenda, [RedLine(1, "p", "l", "", node)]).check(package).outcomes
    # the client sees the canonical tree the server returns
    mine = compile_red_line(redline.node_to_json(node), Agenda(agenda.specs()))
    assert mine(package) is server
