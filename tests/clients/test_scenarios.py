"""The shipped scenarios meet the product's requirements; bad files get located errors."""

import pytest

from clients.scenario import ScenarioError, builtin_names, load_scenario, parse_scenario
from service.domain.agenda import build_agenda
from service.domain.preferences import build_preferences
from service.domain.redline import parse_expr


def test_every_builtin_scenario_loads_and_its_red_lines_parse_on_the_server():
    assert {"syria-2016", "river-treaty"} <= set(builtin_names())
    for name in builtin_names():
        scenario = load_scenario(name)
        agenda = build_agenda([issue.api() for issue in scenario.issues])
        for party in scenario.parties:
            for red_line in party.red_lines:
                parse_expr(red_line.expr, agenda)
            assert party.preferences is not None
            build_preferences(party.preferences.model_dump(), agenda)


def test_syria_2016_is_the_flagship_the_product_promises():
    scenario = load_scenario("syria-2016")
    assert [p.key for p in scenario.parties] == ["government", "kurds", "usa", "russia"]
    assert len(scenario.issues) >= 10
    assert {issue.kind for issue in scenario.issues} == {"options", "integer", "boolean"}
    for issue in scenario.issues:
        assert issue.description
        if issue.kind == "options":
            assert set(issue.option_descriptions or {}) == set(issue.options)
            assert all(text.strip() for text in issue.option_descriptions.values())
    for party in scenario.parties:
        assert len(party.red_lines) >= 3
        assert {rl.visibility for rl in party.red_lines} == {"public", "private"}
        assert all(rl.rationale and rl.basis for rl in party.red_lines)
    assert sum(rl.relax is not None for p in scenario.parties for rl in p.red_lines) >= 3
    for source in ("2254", "Geneva", "Tartus", "Hmeimim", "SDF"):
        assert source in scenario.notes


def test_a_teaching_scenario_is_small():
    scenario = load_scenario("river-treaty")
    assert 2 <= len(scenario.parties) <= 3
    assert 3 <= len(scenario.issues) <= 4


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "name: x\ntitle: t\nprotocol: {max_rounds: 2}\nissues: []\nparties: []\n",
            "mine.yaml:4:9: issues: List should have at least 1 item",
        ),
        (
            "name: x\ntitle: t\nprotocol: {max_rounds: 2}\nissues: [{key: a, title: A, kind: options, options: [o]}]\nparties: []\n",
            "mine.yaml:4:10: issues.0: an options issue lists at least two options",
        ),
        (
            "name: x\ntitle: t\nprotocol: {max_rounds: 2}\nissues: [{key: a, title: A, kind: boolean}]\nparties: [{key: p, name: P, preferences: {weights: {zz: 1}, scores: {}}}, {key: q, name: Q}]\n",
            "mine.yaml:5:57: parties.0.preferences.weights.zz: unknown issue 'zz': use one of a",
        ),
        (
            "name: x\ntitle: t\nprotocol: {max_rounds: 2}\nissues: [{key: a, title: A, kind: boolean, colour: red}]\nparties: []\n",
            "mine.yaml:4:52: issues.0.colour: unknown field 'colour' (a typo?)",
        ),
        ("name: x\n  title: [unclosed\n", "mine.yaml:2:8: not valid YAML"),
    ],
)
def test_bad_scenarios_are_refused_with_the_place_named(text, fragment):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "mine.yaml")
    assert str(caught.value).startswith("mine.yaml")
    assert fragment in str(caught.value)
