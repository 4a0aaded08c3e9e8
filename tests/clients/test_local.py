"""The client's own evaluator and utility must agree with the server's; its searches must
return packages the delegation can stand behind."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients.local import Agenda, Position, Utility, holds
from service.domain import redline
from service.domain.checker import Checker
from service.domain.preferences import build_preferences
from service.domain.redline.red_line import RedLine
from tests.generators import agendas, packages, trees_json


def client_agenda(agenda):
    return Agenda(agenda.specs())


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_client_evaluator_agrees_with_the_server_checker(data):
    agenda = data.draw(agendas())
    tree = data.draw(trees_json(agenda))
    package = data.draw(packages(agenda, full=True))
    node = redline.node_from_json(tree, agenda)
    # the client sees the canonical tree the server returns
    [server] = Checker(agenda, [RedLine(1, "p", "l", "", node)]).check(package).outcomes
    assert holds(redline.node_to_json(node), package, client_agenda(agenda)) is server


def random_preferences(data, agenda):
    weights, scores = {}, {}
    for issue in agenda.issues:
        weights[issue.key] = data.draw(st.integers(0, 5))
        if issue.kind.value == "integer":
            xs = sorted(
                set(
                    data.draw(
                        st.lists(st.sampled_from(list(issue.values())), min_size=1, max_size=3)
                    )
                )
            )
            scores[issue.key] = [[x, data.draw(st.floats(0, 1))] for x in xs]
        elif issue.kind.value == "boolean":
            scores[issue.key] = {
                "true": data.draw(st.floats(0, 1)),
                "false": data.draw(st.floats(0, 1)),
            }
        else:
            scores[issue.key] = {o: data.draw(st.floats(0, 1)) for o in issue.options}
    if not any(weights.values()):
        weights[agenda.issues[0].key] = 1
    return {"weights": weights, "scores": scores, "reservation": 0.2}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_client_utility_agrees_with_the_servers(data):
    agenda = data.draw(agendas())
    document = random_preferences(data, agenda)
    package = data.draw(packages(agenda, full=True))
    server = build_preferences(document, agenda)
    client = Utility(document, client_agenda(agenda))
    assert client(package) == pytest.approx(server.utility(package))


def every_package(agenda):
    keys = [i.key for i in agenda.issues]
    for combo in itertools.product(*(list(i.values()) for i in agenda.issues)):
        yield dict(zip(keys, combo, strict=True))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_ideal_is_the_best_package_that_keeps_own_red_lines(data):
    agenda = data.draw(agendas(max_issues=3))
    trees = [
        redline.node_to_json(redline.node_from_json(t, agenda))
        for t in data.draw(st.lists(trees_json(agenda, max_leaves=4), max_size=3))
    ]
    document = random_preferences(data, agenda)
    position = Position(client_agenda(agenda), trees, Utility(document, client_agenda(agenda)))
    feasible = [p for p in every_package(agenda) if position.acceptable(p)]
    ideal = position.ideal()
    if not feasible:
        assert ideal is None
        return
    assert position.acceptable(ideal)
    assert position.value(ideal) == pytest.approx(max(position.value(p) for p in feasible))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_concessions_keep_own_red_lines_and_the_target(data):
    agenda = data.draw(agendas(max_issues=3))
    trees = [
        redline.node_to_json(redline.node_from_json(t, agenda))
        for t in data.draw(st.lists(trees_json(agenda, max_leaves=4), max_size=3))
    ]
    position = Position(
        client_agenda(agenda),
        trees,
        Utility(random_preferences(data, agenda), client_agenda(agenda)),
    )
    ideal = position.ideal()
    if ideal is None:
        return
    target = data.draw(st.floats(0, position.value(ideal)))
    others = data.draw(st.lists(packages(agenda, full=True), min_size=1, max_size=3))
    moved = position.concede_toward(ideal, target, others)
    assert position.acceptable(moved)
    assert position.value(moved) >= target - 1e-9
    for neighbour in position.neighbours(moved, target, {}):
        assert position.acceptable(neighbour)
        assert position.value(neighbour) >= target - 1e-9


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_compiled_red_lines_agree_with_the_tree_walk(data):
    from clients.local import compile_tree

    agenda = data.draw(agendas())
    tree = redline.node_to_json(redline.node_from_json(data.draw(trees_json(agenda)), agenda))
    package = data.draw(packages(agenda, full=True))
    mine = client_agenda(agenda)
    assert compile_tree(tree, mine)(package) == holds(tree, package, mine)
