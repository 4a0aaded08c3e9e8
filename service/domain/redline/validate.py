"""Checks shared by both written forms of a red line: tests against the agenda's domains."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from service.domain.agenda import Agenda, Issue, IssueKind, Value
from service.domain.redline.nodes import ORDERING_OPS, Compare, Member

SYMBOLS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


@dataclass
class Problem(Exception):
    """A test that does not fit the agenda; ``part`` says which part of it is to blame.

    ``part`` is ``"issue"``, ``"op"``, ``"value"`` or the index of a value in a set.
    """

    message: str
    expected: str | list[str]
    part: str | int


def resolve_issue(agenda: Agenda, key: str) -> Issue:
    """Return the agenda's issue for ``key`` or raise a Problem naming the known keys."""
    issue = agenda.get(key)
    if issue is None:
        raise Problem(f"unknown issue '{key}'", list(agenda.keys), "issue")
    return issue


def resolve_value(issue: Issue, value: object, part: str | int = "value") -> Value:
    """Return ``value`` if it is in the issue's domain, or raise a Problem that says why not."""
    if issue.contains(value):
        return value  # type: ignore[return-value]  # contains() checked the type
    shown = json.dumps(value) if not isinstance(value, str) else f"'{value}'"
    if issue.kind is IssueKind.OPTIONS:
        message = f"{shown} is not an option of issue '{issue.key}'"
        expected: str | list[str] = list(issue.options)
    elif issue.kind is IssueKind.INTEGER:
        if type(value) is int:
            message = f"{shown} is outside the range of issue '{issue.key}'"
        else:
            message = f"issue '{issue.key}' is an integer issue; {shown} is not an integer"
        expected = f"an integer from {issue.minimum} to {issue.maximum}"
    else:
        message = f"issue '{issue.key}' is boolean; {shown} is not true or false"
        expected = ["true", "false"]
    raise Problem(message, expected, part)


def make_compare(agenda: Agenda, op: str, key: str, value: object) -> Compare:
    """Build a comparison test checked against the agenda."""
    issue = resolve_issue(agenda, key)
    if op in ORDERING_OPS and issue.kind is IssueKind.BOOLEAN:
        raise Problem(
            f"'{SYMBOLS[op]}' does not apply to boolean issue '{key}'",
            ["==", "!=", "in", "not in"],
            "op",
        )
    return Compare(op, key, resolve_value(issue, value))


def make_member(agenda: Agenda, op: str, key: str, values: Sequence[object]) -> Member:
    """Build a set-membership test; its values are put in domain order without repeats."""
    issue = resolve_issue(agenda, key)
    if not values:
        raise Problem("a set of values cannot be empty", "at least one value", "value")
    ordered: tuple[Value, ...]
    checked = {resolve_value(issue, value, index) for index, value in enumerate(values)}
    if issue.kind is IssueKind.OPTIONS:
        ordered = tuple(option for option in issue.options if option in checked)
    elif issue.kind is IssueKind.BOOLEAN:
        ordered = tuple(b for b in (False, True) if b in checked)
    else:
        ordered = tuple(sorted(checked, key=int))
    return Member(op, key, ordered)
