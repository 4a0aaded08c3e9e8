"""The flagship scenario through the solver: its declared red lines cannot all hold, the
solver names which ones block a deal, and once the scenario's planned relaxations are made,
every mediator objective finds a package all four delegations can rationally sign."""

from dataclasses import replace

import pytest

from clients.scenario import load_scenario
from service.analysis.feasibility import analyse
from service.analysis.mediation import OBJECTIVES, suggest
from service.analysis.repair import repair
from service.domain.agenda import build_agenda
from service.domain.checker import Checker
from service.domain.preferences import build_preferences
from service.domain.redline import parse_expr
from service.domain.redline.red_line import RedLine, RedLineStatus, Visibility

SCENARIO = load_scenario("syria-2016")
AGENDA = build_agenda([issue.api() for issue in SCENARIO.issues])
DECLARED: list[tuple[bool, RedLine]] = []
for party in SCENARIO.parties:
    for spec in party.red_lines:
        rid = len(DECLARED) + 1
        node = parse_expr(spec.expr, AGENDA)
        line = RedLine(rid, party.key, spec.label, spec.expr, node, Visibility(spec.visibility))
        DECLARED.append((spec.relax is not None, line))
LINES = [line for _, line in DECLARED]
RELAXED = [
    replace(line, status=RedLineStatus.RELAXED) if planned else line for planned, line in DECLARED
]
PREFERENCES = {
    party.key: build_preferences(party.preferences.model_dump(), AGENDA)
    for party in SCENARIO.parties
}


def labels(conflict):
    return {f"{line.party}: {line.label}" for line in conflict}


def test_the_declared_red_lines_cannot_all_hold_and_every_cause_is_named():
    result = analyse(AGENDA, LINES, limit=20)
    assert result.feasible is False
    assert result.exhausted
    assert result.witness is None
    found = [labels(conflict) for conflict in result.conflicts]
    assert {
        "government: No federal region",
        "kurds: A federal northern Syria",
    } in found
    assert {
        "usa: Assad must go at signing",
        "russia: No regime change from outside",
    } in found
    for conflict in result.conflicts:
        # Minimal: without any one of its red lines, the rest of the set can hold.
        for left_out in conflict:
            rest = [line for line in conflict if line is not left_out]
            assert analyse(AGENDA, rest).feasible is True
        assert analyse(AGENDA, conflict).feasible is False


def test_every_conflict_loses_a_red_line_to_the_planned_relaxations():
    result = analyse(AGENDA, LINES, limit=20)
    planned = {line.id for relaxed, line in DECLARED if relaxed}
    for conflict in result.conflicts:
        assert planned & {line.id for line in conflict}, labels(conflict)
    after = analyse(AGENDA, RELAXED)
    assert after.feasible is True
    assert Checker(AGENDA, RELAXED).is_clear(after.witness)


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_each_mediator_objective_finds_a_package_every_delegation_can_sign(objective):
    result = suggest(AGENDA, RELAXED, PREFERENCES, objective)
    [best] = result.suggestions
    assert best.status == "optimal"
    assert best.pareto_optimal is True
    assert Checker(AGENDA, RELAXED).is_clear(best.package)
    for party, prefs in PREFERENCES.items():
        assert best.utilities[party] >= prefs.reservation, party


def test_no_mediator_text_exists_while_every_declared_red_line_binds():
    result = suggest(AGENDA, LINES, PREFERENCES, "nash")
    assert result.suggestions == []
    assert result.reason == "no package keeps every active red line"


def test_repair_moves_the_fewest_issues_of_a_hard_line_american_text():
    text = {"assad_role": "exit_at_signing", "joint_cell": False}
    fixed = repair(AGENDA, RELAXED, text, preferences=PREFERENCES["usa"])
    assert fixed.proved
    assert Checker(AGENDA, RELAXED).is_clear(fixed.package)
    assert fixed.changed == [k for k, v in text.items() if fixed.package[k] != v]
    assert 1 <= len(fixed.changed) <= 2
