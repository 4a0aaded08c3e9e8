"""Hypothesis generators (its "strategies") for agendas, red-line trees and packages, shared
by the tests. Named generators because in Parley a strategy is a negotiator."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from service.domain.agenda import Agenda, Issue, IssueKind, build_agenda

# Generators are built once per issue (or agenda) and kept: hypothesis validates each new
# generator object on its first draw, which cost more than the draws themselves when every
# example built its own. The draws, and their order, are the same as building them anew.
_KINDS = st.sampled_from(("options", "integer", "boolean"))
_MEMBERSHIP = st.sampled_from(("in", "not_in"))
_COMPARISONS = st.sampled_from(("eq", "ne", "lt", "le", "gt", "ge"))
_EQUALITIES = st.sampled_from(("eq", "ne"))


@st.composite
def issue_specs(draw: st.DrawFn, key: str) -> dict[str, Any]:
    kind = draw(_KINDS)
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


@dataclass(frozen=True)
class _IssueDraws:
    """One issue's key and the generators a test of it draws from."""

    key: str
    ops: st.SearchStrategy[str]
    value: st.SearchStrategy[Any]
    chosen: st.SearchStrategy[list[Any]]


@functools.cache
def _draws_of(key: str, boolean: bool, domain: tuple[Any, ...]) -> _IssueDraws:
    value = st.sampled_from(domain)
    ops = _EQUALITIES if boolean else _COMPARISONS
    chosen = st.lists(value, min_size=1, max_size=len(domain), unique=True)
    return _IssueDraws(key, ops, value, chosen)


def _draws_for(issue: Issue) -> _IssueDraws:
    return _draws_of(issue.key, issue.kind is IssueKind.BOOLEAN, tuple(issue.values()))


@st.composite
def _tests_json(draw: st.DrawFn, issues: tuple[_IssueDraws, ...]) -> dict[str, Any]:
    issue = draw(st.sampled_from(issues))
    if draw(st.booleans()):
        return {"op": draw(issue.ops), "issue": issue.key, "value": draw(issue.value)}
    chosen = draw(issue.chosen)
    return {"op": draw(_MEMBERSHIP), "issue": issue.key, "values": chosen}


def tests_json(agenda: Agenda) -> st.SearchStrategy[dict[str, Any]]:
    """One test of one issue of the agenda (a leaf of a red-line tree)."""
    return _tests_json(tuple(map(_draws_for, agenda.issues)))


def _not(a: dict[str, Any]) -> dict[str, Any]:
    return {"op": "not", "arg": a}


def _and(xs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"op": "and", "args": xs}


def _or(xs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"op": "or", "args": xs}


def _implies(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {"op": "implies", "if": a, "then": b}


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(_not, children),
        st.builds(_and, st.lists(children, min_size=2, max_size=3)),
        st.builds(_or, st.lists(children, min_size=2, max_size=3)),
        st.builds(_implies, children, children),
    )


@functools.cache
def _trees_json(
    issues: tuple[_IssueDraws, ...], max_leaves: int
) -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(_tests_json(issues), _extend, max_leaves=max_leaves)


def trees_json(agenda: Agenda, max_leaves: int = 8) -> st.SearchStrategy[dict[str, Any]]:
    """Red-line trees over the agenda (JSON), of at most ``max_leaves`` tests."""
    return _trees_json(tuple(map(_draws_for, agenda.issues)), max_leaves)


@st.composite
def packages(draw: st.DrawFn, agenda: Agenda, *, full: bool | None = None) -> dict[str, Any]:
    out = {}
    for issue in agenda.issues:
        assign = True if full else draw(st.booleans()) if full is None else False
        if assign:
            out[issue.key] = draw(_draws_for(issue).value)
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
