"""A delegation's own utility, computed on the client from its preferences document.

The same linear additive utility as the service's (API.md, "Preferences"); a test keeps the
two in agreement.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from clients.agenda import Agenda
from clients.models import Value


class Utility:
    """A linear additive utility from a preferences document (API.md's shape)."""

    def __init__(self, document: Mapping[str, Any], agenda: Agenda) -> None:
        weights = {k: float(w) for k, w in document["weights"].items() if float(w) > 0}
        total = sum(weights.values()) or 1.0
        self.weights = {key: weight / total for key, weight in weights.items()}
        self.reservation = float(document.get("reservation", 0.0))
        self._tables: dict[str, dict[Value, float]] = {}
        for key in self.weights:
            issue = agenda.by_key[key]
            raw = document["scores"][key]
            if issue.kind == "integer":
                xs = [int(point[0]) for point in raw]
                ys = [float(point[1]) for point in raw]
                self._tables[key] = {v: _piecewise(xs, ys, int(v)) for v in issue.values}
            elif issue.kind == "boolean":
                self._tables[key] = {True: float(raw["true"]), False: float(raw["false"])}
            else:
                self._tables[key] = {option: float(raw[option]) for option in issue.values}

    def part(self, key: str, value: Value) -> float:
        """Return the weighted contribution of one value of one issue."""
        weight = self.weights.get(key)
        return weight * self._tables[key][value] if weight else 0.0

    def __call__(self, package: Mapping[str, Value]) -> float:
        """Return the utility of a (full) package."""
        return sum(self.part(key, value) for key, value in package.items())


def _piecewise(xs: list[int], ys: list[float], x: int) -> float:
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect_right(xs, x)
    return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1])
