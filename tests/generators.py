"""Hypothesis generators (its "strategies") for agendas, red-line trees and packages, shared
by the tests. Named generators because in Parley a strategy is a negotiator."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from service.domain.agenda import Agenda, Issue, IssueKind, build_agenda


@st.composite
def issue_specs(draw: st.DrawFn, key: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["options", "integer", "boolean"]))
    if kind == "options":
        n = draw(st.integers(2, 4))
        return {"key": key, "kind": kind, "options": [f"{key}_o{j}" for j in range(n)]}
    if kind == "integer":
        low = draw(st.integers(-3, 3))
        return {"key": key, "kind": kind, "min": low, "max": low + draw(st.integers(1, 5))}
    return {"key": key, "kind": kind}


@st.composite
def agendas(draw: st.DrawFn, max_issues: int = 4) -> Agenda:
    n = draw(st.integers(1, max_issues))
    return build_agenda([draw(issue_specs(f"i{k}")) for k in range(n)])


def values_of(issue: Issue) -> list[Any]:
    return list(issue.values())


@st.composite
def tests_json(draw: st.DrawFn, agenda: Agenda) -> dict[str, Any]:
    issue = draw(st.sampled_from(agenda.issues))
    domain = values_of(issue)
    if draw(st.booleans()):
        ops = (
            ["eq", "ne"]
            if issue.kind is IssueKind.BOOLEAN
            else ["eq", "ne", "lt", "le", "gt", "ge"]
        )
        return {
            "op": draw(st.sampled_from(ops)),
            "issue": issue.key,
            "value": draw(st.sampled_from(domain)),
        }
    chosen = draw(st.lists(st.sampled_from(domain), min_size=1, max_size=len(domain), unique=True))
    return {"op": draw(st.sampled_from(["in", "not_in"])), "issue": issue.key, "values": chosen}


def trees_json(agenda: Agenda, max_leaves: int = 8) -> st.SearchStrategy[dict[str, Any]]:
    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            st.builds(lambda a: {"op": "not", "arg": a}, children),
            st.builds(
                lambda xs: {"op": "and", "args": xs}, st.lists(children, min_size=2, max_size=3)
            ),
            st.builds(
                lambda xs: {"op": "or", "args": xs}, st.lists(children, min_size=2, max_size=3)
            ),
            st.builds(lambda a, b: {"op": "implies", "if": a, "then": b}, children, children),
        )

    return st.recursive(tests_json(agenda), extend, max_leaves=max_leaves)


@st.composite
def packages(draw: st.DrawFn, agenda: Agenda, *, full: bool | None = None) -> dict[str, Any]:
    out = {}
    for issue in agenda.issues:
        assign = True if full else draw(st.booleans()) if full is None else False
        if assign:
            out[issue.key] = draw(st.sampled_from(values_of(issue)))
    return out


@st.composite
def preference_documents(draw: st.DrawFn, agenda: Agenda) -> dict[str, Any]:
    """A preferences document (API.md's shape) with random weights and float scores."""
    weights: dict[str, int] = {}
    scores: dict[str, Any] = {}
    for issue in agenda.issues:
        weights[issue.key] = draw(st.integers(0, 5))
        if issue.kind is IssueKind.INTEGER:
            chosen = draw(st.lists(st.sampled_from(values_of(issue)), min_size=1, max_size=3))
            scores[issue.key] = [[x, draw(st.floats(0, 1))] for x in sorted(set(chosen))]
        elif issue.kind is IssueKind.BOOLEAN:
            scores[issue.key] = {"true": draw(st.floats(0, 1)), "false": draw(st.floats(0, 1))}
        else:
            scores[issue.key] = {o: draw(st.floats(0, 1)) for o in issue.options}
    if not any(weights.values()):
        weights[agenda.issues[0].key] = 1
    return {"weights": weights, "scores": scores, "reservation": 0.2}
