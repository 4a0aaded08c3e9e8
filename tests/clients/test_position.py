"""A delegation's searches return packages it can stand behind: its ideal is the best package
that keeps its own red lines, and its concessions keep them and its target."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients.agenda import Agenda
from clients.position import Position
from clients.utility import Utility
from service.domain import redline
from tests.generators import agendas, packages, preference_documents, trees_json


def client_agenda(agenda):
    return Agenda(agenda.specs())


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
    document = data.draw(preference_documents(agenda))
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
        Utility(data.draw(preference_documents(agenda)), client_agenda(agenda)),
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
