"""Preferences: a party's private linear additive utility over packages.

``u(p) = sum_i w_i * s_i(p_i)`` with weights normalised to sum 1 and scores in [0, 1]; an
options or boolean issue is scored per value, an integer issue by piecewise-linear points.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from service.domain.agenda import Agenda, Issue, IssueKind, Package, Value
from service.domain.errors import InvalidInput

# Weights are relative; a bound keeps their sum finite (1e308 + 1e308 is infinity).
MAX_WEIGHT = 1e6


@dataclass(frozen=True, slots=True)
class Piecewise:
    """A piecewise-linear score over an integer issue; flat beyond its first and last points."""

    xs: tuple[int, ...]
    ys: tuple[float, ...]

    def __call__(self, x: int) -> float:
        """Return the interpolated score at ``x``."""
        if x <= self.xs[0]:
            return self.ys[0]
        if x >= self.xs[-1]:
            return self.ys[-1]
        i = bisect_right(self.xs, x)
        x0, x1, y0, y1 = self.xs[i - 1], self.xs[i], self.ys[i - 1], self.ys[i]
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@dataclass(frozen=True)
class Preferences:
    """A party's utility function and reservation value."""

    weights: Mapping[str, float]
    option_scores: Mapping[str, Mapping[Value, float]]
    integer_scores: Mapping[str, Piecewise]
    reservation: float
    spec: Mapping[str, Any]

    def score(self, issue: str, value: Value) -> float:
        """Return the unweighted score in [0, 1] of one value of one issue."""
        if issue in self.integer_scores:
            return self.integer_scores[issue](int(value))
        scores = self.option_scores.get(issue)
        return 0.0 if scores is None else scores[value]

    def issue_utility(self, issue: str, value: Value) -> float:
        """Return the weighted contribution of one value of one issue."""
        weight = self.weights.get(issue, 0.0)
        return weight * self.score(issue, value) if weight else 0.0

    def utility(self, package: Package) -> float:
        """Return the utility of the assigned part of a package (a full package's utility)."""
        return sum(self.issue_utility(key, value) for key, value in package.items())

    def bounds(self, package: Package, agenda: Agenda) -> tuple[float, float]:
        """Return the lowest and highest utility over every completion of a partial package."""
        low = high = self.utility(package)
        for issue in agenda.issues:
            if issue.key in package or not self.weights.get(issue.key):
                continue
            scores = [self.issue_utility(issue.key, v) for v in _scored_values(issue, self)]
            low += min(scores)
            high += max(scores)
        return low, high


def _scored_values(issue: Issue, prefs: Preferences) -> list[Value]:
    if issue.kind is IssueKind.INTEGER:
        # A piecewise-linear score reaches its extremes at its points or the domain's ends.
        points = prefs.integer_scores[issue.key].xs
        return [issue.minimum, issue.maximum, *points]
    return list(issue.values())


def build_preferences(spec: Mapping[str, Any], agenda: Agenda) -> Preferences:
    """Check a preferences document against the agenda and build the utility function.

    Every problem is reported at once with its location.
    """
    errors: list[dict[str, Any]] = []
    raw_weights = spec.get("weights")
    raw_scores = spec.get("scores") or {}
    weights: dict[str, float] = {}
    if not isinstance(raw_weights, Mapping) or not raw_weights:
        errors.append({"loc": ["weights"], "message": "weights must map issue keys to numbers"})
        raw_weights = {}
    for key, weight in raw_weights.items():
        if key not in agenda:
            errors.append(_unknown(["weights", key], key, agenda))
        elif not _number(weight) or not 0 <= weight <= MAX_WEIGHT:
            errors.append(
                {
                    "loc": ["weights", key],
                    "message": f"a weight is a number from 0 to {MAX_WEIGHT:g}",
                    "allowed": [0, MAX_WEIGHT],
                }
            )
        else:
            weights[key] = float(weight)
    total = sum(weights.values())
    if raw_weights and not errors and total <= 0:
        errors.append({"loc": ["weights"], "message": "at least one weight must be positive"})
    if not isinstance(raw_scores, Mapping):
        errors.append({"loc": ["scores"], "message": "scores must map issue keys to scores"})
        raw_scores = {}
    option_scores: dict[str, dict[Value, float]] = {}
    integer_scores: dict[str, Piecewise] = {}
    for key, raw in raw_scores.items():
        issue = agenda.get(key)
        if issue is None:
            errors.append(_unknown(["scores", key], key, agenda))
        elif issue.kind is IssueKind.INTEGER:
            curve = _piecewise(issue, raw, errors)
            if curve is not None:
                integer_scores[key] = curve
        else:
            table = _value_scores(issue, raw, errors)
            if table is not None:
                option_scores[key] = table
    for key, weight in weights.items():
        if weight > 0 and key not in raw_scores:
            errors.append(
                {"loc": ["scores", key], "message": f"issue '{key}' has a weight but no scores"}
            )
    reservation = spec.get("reservation", 0.0)
    if not _number(reservation) or not 0.0 <= reservation <= 1.0:
        errors.append({"loc": ["reservation"], "message": "reservation is a number in [0, 1]"})
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})
    normalised = {key: weight / total for key, weight in weights.items() if weight > 0}
    document = {
        "weights": dict(raw_weights),
        "scores": {key: raw_scores[key] for key in raw_scores},
        "reservation": float(reservation),
    }
    return Preferences(normalised, option_scores, integer_scores, float(reservation), document)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _unknown(loc: list[str | int], key: str, agenda: Agenda) -> dict[str, Any]:
    return {"loc": loc, "message": f"unknown issue '{key}'", "allowed": list(agenda.keys)}


def _score_ok(value: object) -> bool:
    return _number(value) and 0.0 <= float(value) <= 1.0  # type: ignore[arg-type]


def _value_scores(
    issue: Issue, raw: object, errors: list[dict[str, Any]]
) -> dict[Value, float] | None:
    loc: list[str | int] = ["scores", issue.key]
    names = list(issue.options) if issue.kind is IssueKind.OPTIONS else ["true", "false"]
    if not isinstance(raw, Mapping):
        errors.append(
            {"loc": loc, "message": f"score every value of '{issue.key}'", "allowed": names}
        )
        return None
    count = len(errors)
    for name in raw:
        if name not in names:
            errors.append(
                {
                    "loc": [*loc, name],
                    "message": f"'{name}' is not a value of '{issue.key}'",
                    "allowed": names,
                }
            )
        elif not _score_ok(raw[name]):
            errors.append({"loc": [*loc, name], "message": "a score is a number in [0, 1]"})
    missing = [name for name in names if name not in raw]
    if missing:
        errors.append(
            {
                "loc": loc,
                "message": f"no score for {', '.join(missing)} of '{issue.key}'",
                "allowed": names,
            }
        )
    if len(errors) > count:
        return None
    if issue.kind is IssueKind.BOOLEAN:
        return {True: float(raw["true"]), False: float(raw["false"])}
    return {name: float(raw[name]) for name in names}


def _piecewise(issue: Issue, raw: object, errors: list[dict[str, Any]]) -> Piecewise | None:
    loc: list[str | int] = ["scores", issue.key]
    hint = "a list of [value, score] points with increasing values inside the issue's range"
    if not isinstance(raw, list) or not raw:
        errors.append({"loc": loc, "message": f"an integer issue is scored by {hint}"})
        return None
    xs: list[int] = []
    ys: list[float] = []
    for i, point in enumerate(raw):
        ok = (
            isinstance(point, list | tuple)
            and len(point) == 2
            and type(point[0]) is int
            and issue.minimum <= point[0] <= issue.maximum
            and _score_ok(point[1])
            and (not xs or point[0] > xs[-1])
        )
        if not ok:
            errors.append(
                {"loc": [*loc, i], "message": f"each point must be [value, score]: {hint}"}
            )
            return None
        xs.append(point[0])
        ys.append(float(point[1]))
    return Piecewise(tuple(xs), tuple(ys))
