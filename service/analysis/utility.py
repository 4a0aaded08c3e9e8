"""Utilities in the model: each party's utility as a scaled integer sum over the issues.

An issue of few values contributes its scores weighted by the issue's value literals (a
linear sum whose relaxation is exact); a large integer issue an element lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from service.analysis.encode import Encoding, decode_value
from service.domain.agenda import IssueKind, Value
from service.domain.errors import InvalidInput
from service.domain.preferences import Preferences

SCALE = 10_000  # utilities in [0, 1] become integers in [0, SCALE]
MAX_SCORED_VALUES = 200_000


def add_utility(encoding: Encoding, preferences: Preferences, name: str) -> cp_model.IntVar:
    """Add a variable equal to the party's scaled utility (sum of per-issue tables)."""
    from ortools.sat.python import cp_model

    model = encoding.model
    parts: list[cp_model.LinearExprT] = []
    for issue in encoding.agenda.issues:
        if not preferences.weights.get(issue.key):
            continue
        if issue.size > MAX_SCORED_VALUES:
            raise InvalidInput(
                f"issue '{issue.key}' has {issue.size} values: too many to score in the solver",
                details={
                    "errors": [
                        {
                            "loc": ["issues", issue.key],
                            "message": "too many values to score in the solver",
                            "allowed": f"at most {MAX_SCORED_VALUES} values",
                        }
                    ]
                },
            )
        low = 0 if issue.kind is not IssueKind.INTEGER else issue.minimum
        table = [
            round(SCALE * preferences.issue_utility(issue.key, decode_value(issue, low + i)))
            for i in range(issue.size)
        ]
        literals = encoding.value_literals(issue.key)
        if literals is not None:
            parts.append(cp_model.LinearExpr.weighted_sum(literals, table))
            continue
        part = model.new_int_var(min(table), max(table), f"u_{name}_{issue.key}")
        model.add_element(encoding.vars[issue.key] - low, table, part)
        parts.append(part)
    total = model.new_int_var(0, SCALE * max(1, len(parts)), f"u_{name}")
    model.add(total == sum(parts))
    return total


def model_utility(preferences: Preferences, package: Mapping[str, Value]) -> int:
    """Return a package's utility exactly as the model scores it (per-issue rounding)."""
    return sum(
        round(SCALE * preferences.issue_utility(key, value))
        for key, value in package.items()
        if preferences.weights.get(key)
    )


def scaled(value: float) -> int:
    """Scale a utility in [0, 1] to the model's integers."""
    return round(SCALE * value)
