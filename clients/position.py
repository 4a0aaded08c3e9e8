"""What a delegation computes for itself: which packages it can stand behind, and the search.

A ``Position`` holds the agenda, the delegation's active red lines (their trees, compiled by
``clients.redline``) and its utility, and searches packages: its ideal, the nearest package
that keeps its red lines, concessions toward the others, neighbours to probe. It works from
what the delegation's token can see and never talks to the server.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from clients.agenda import Agenda
from clients.models import Package, Value
from clients.redline import Tree, compile_red_line
from clients.utility import Utility


class Position:
    """A delegation's view of itself: agenda, active red lines, utility; and package search."""

    def __init__(
        self,
        agenda: Agenda,
        red_lines: Iterable[Tree],
        utility: Utility | None,
        memo: dict[Any, Package | None] | None = None,
    ) -> None:
        """Build the position.

        ``memo`` may carry repair results over from earlier turns, while the red lines stay.
        """
        self.agenda = agenda
        self.red_lines = list(red_lines)
        self.utility = utility
        self._tests = [compile_red_line(tree, agenda) for tree in self.red_lines]
        self._ideal: Package | None = None
        self._searched = False
        self._near: dict[Any, Package | None] = {} if memo is None else memo
        # Only issues the red lines test can repair a violation; on an integer issue only the
        # red lines' constants (and one either side) and the bounds are worth trying.
        self._touched: set[str] = set()
        self._landmarks: dict[str, set[int]] = {}
        self._issues_of: list[set[str]] = []
        for tree in self.red_lines:
            own: set[str] = set()
            _collect(tree, own, self._landmarks)
            self._issues_of.append(own)
            self._touched |= own

    def acceptable(self, package: Mapping[str, Value]) -> bool:
        """Say whether a full package breaks none of the delegation's active red lines."""
        return all(test(package) for test in self._tests)

    def value(self, package: Mapping[str, Value]) -> float:
        """Return the delegation's utility of a package (0 without preferences)."""
        return self.utility(package) if self.utility is not None else 0.0

    def _ranked(self, key: str) -> list[Value]:
        issue = self.agenda.by_key[key]
        return sorted(issue.values, key=lambda v: -self.part(key, v))

    def ideal(self) -> Package | None:
        """Return the best package for the delegation that breaks none of its own red lines."""
        if not self._searched:
            self._ideal, self._searched = self._search(), True
        return None if self._ideal is None else dict(self._ideal)

    def _search(self, limit: int = 50_000) -> Package | None:
        """Best-first search over per-issue choices ranked by utility.

        Packages are met in order of utility lost, so the first acceptable one is optimal.
        """
        keys = self.agenda.keys
        ranked = [self._ranked(key) for key in keys]
        parts = [
            [self.part(key, value) for value in values]
            for key, values in zip(keys, ranked, strict=True)
        ]

        def loss(choice: tuple[int, ...]) -> float:
            return sum(row[0] - row[c] for row, c in zip(parts, choice, strict=True))

        start = tuple(0 for _ in keys)
        frontier: list[tuple[float, tuple[int, ...]]] = [(0.0, start)]
        seen = {start}
        for _ in range(limit):
            if not frontier:
                return None
            _, choice = heapq.heappop(frontier)
            package = {
                key: ranked[i][c] for i, (key, c) in enumerate(zip(keys, choice, strict=True))
            }
            if self.acceptable(package):
                return package
            for i, c in enumerate(choice):
                if c + 1 < len(ranked[i]):
                    following = (*choice[:i], c + 1, *choice[i + 1 :])
                    if following not in seen:
                        seen.add(following)
                        heapq.heappush(frontier, (loss(following), following))
        return None

    def part(self, key: str, value: Value) -> float:
        """Return the delegation's utility from one value of one issue (0 without preferences)."""
        return self.utility.part(key, value) if self.utility is not None else 0.0

    def concede_toward(
        self, start: Mapping[str, Value], target: float, others: Sequence[Mapping[str, Value]]
    ) -> Package:
        """Move from ``start`` toward the others' positions while utility stays >= ``target``.

        Each step moves one issue one notch toward the value most others propose (on ordered
        and integer issues, part of the way is a move too) and mends whatever that breaks
        among the delegation's own red lines. It takes the step that costs least per unit of
        ground given, where ground is the whole package's distance to the others (it must
        shrink, so the walk ends), and stops when no step keeps the utility at the target.
        """
        package = dict(start)
        wanted = _consensus(self.agenda, others)
        distance = self._distance(package, wanted)
        while True:
            best: tuple[float, Package, float] | None = None
            worth_now = self.value(package)
            for key, goal in wanted.items():
                step = self._next_step(package, key, goal, target)
                if step is None:
                    continue
                moved, worth = step
                remaining = self._distance(moved, wanted)
                if remaining >= distance - 1e-12:
                    continue
                ratio = (worth_now - worth) / (distance - remaining)
                if best is None or ratio < best[0]:
                    best = (ratio, moved, remaining)
            if best is None:
                return package
            _, package, distance = best

    def neighbours(
        self, package: Mapping[str, Value], target: float, extra: Mapping[str, Iterable[Value]]
    ) -> list[Package]:
        """List packages one issue away, mended to keep own red lines, worth ``target``.

        Ordered round-robin over the issues, each issue's cheapest move first, so that a few
        probes already touch every issue. On integer issues only landmarks are tried: the
        constants of the delegation's red lines (and one either side), the bounds, and the
        values in ``extra``.
        """
        found: dict[tuple[tuple[str, Value], ...], tuple[int, float, Package]] = {}
        worth_now = self.value(package)
        for index, issue in enumerate(self.agenda.issues):
            values: Iterable[Value] = issue.values
            if issue.kind == "integer":
                low, high = int(issue.values[0]), int(issue.values[-1])
                near = self._landmarks.get(issue.key, set()) | {low, high}
                near |= {int(v) for v in extra.get(issue.key, ())}
                values = sorted(v for v in near if low <= v <= high)
            for value in values:
                if value == package[issue.key]:
                    continue
                moved = self.nearest({**package, issue.key: value}, fixed=issue.key)
                if moved is None:
                    continue
                worth = self.value(moved)
                if worth + 1e-9 >= target:
                    found.setdefault(
                        tuple(sorted(moved.items())), (index, worth_now - worth, moved)
                    )
        by_issue: dict[int, list[tuple[float, Package]]] = {}
        for index, cost, moved in found.values():
            by_issue.setdefault(index, []).append((cost, moved))
        queues = [sorted(moves, key=lambda pair: pair[0]) for _, moves in sorted(by_issue.items())]
        ordered: list[Package] = []
        for rank in range(max((len(q) for q in queues), default=0)):
            ordered += [q[rank][1] for q in sorted(queues, key=lambda q: q[0][0]) if rank < len(q)]
        return ordered

    def _distance(self, package: Mapping[str, Value], wanted: Mapping[str, Value]) -> float:
        """How far a package is from the others' positions (issue ranges count as 1 each)."""
        total = 0.0
        for key, goal in wanted.items():
            issue = self.agenda.by_key[key]
            span = max(1, len(issue.values) - 1)
            total += abs(issue.position(package[key]) - issue.position(goal)) / span
        return total

    def _next_step(
        self, package: Mapping[str, Value], key: str, goal: Value, target: float
    ) -> tuple[Package, float] | None:
        """Move one issue a notch toward ``goal`` and repair the rest to keep own red lines.

        Returns the repaired package and its worth; None when no notch keeps the utility at
        the target.
        """
        issue = self.agenda.by_key[key]
        here = issue.position(package[key])
        there = issue.position(goal)
        if here == there:
            return None
        if issue.kind == "boolean":
            path: list[Value] = [goal]
        else:
            direction = 1 if there > here else -1
            offset = 0 if issue.kind == "options" else int(issue.values[0])
            path = [
                issue.values[p - offset]
                for p in range(here + direction, there + direction, direction)
            ]
        for value in path:
            repaired = self.nearest({**package, key: value}, fixed=key)
            if repaired is None:
                continue
            worth = self.value(repaired)
            if worth + 1e-9 < target:
                return None
            return repaired, worth
        return None

    def nearest(
        self, desired: Mapping[str, Value], *, fixed: str | None = None, limit: int = 300
    ) -> Package | None:
        """Find the acceptable package nearest ``desired`` (keeping ``fixed``), or None.

        Best-first over the values of the issues the red lines test, each ranked by distance
        from the desired value (then by the delegation's utility): packages are met in order
        of how far they stray, so the first acceptable one is nearest.
        """
        key = (tuple(desired.items()), fixed)
        if key in self._near:
            found = self._near[key]
            return None if found is None else dict(found)
        result = self._nearest(desired, fixed, limit)
        self._near[key] = result
        return None if result is None else dict(result)

    def _nearest(
        self, desired: Mapping[str, Value], fixed: str | None, limit: int
    ) -> Package | None:
        if self.acceptable(desired):
            return dict(desired)
        broken: set[str] = set()
        for test, issues in zip(self._tests, self._issues_of, strict=True):
            if not test(desired):
                if issues <= {fixed}:
                    return None  # it tests only the fixed issue: no repair can mend it
                broken |= issues
        # First mend with the issues of the broken red lines only; then with every issue the
        # red lines test (a mend may break another red line).
        for scope, budget in ((broken, limit), (self._touched, limit // 3)):
            found = self._search_near(
                desired, [k for k in self.agenda.keys if k in scope and k != fixed], budget
            )
            if found is not None:
                return found
        return None

    def _search_near(
        self, desired: Mapping[str, Value], keys: list[str], limit: int
    ) -> Package | None:
        ranked: list[list[Value]] = []
        costs: list[list[float]] = []
        for key in keys:
            issue = self.agenda.by_key[key]
            span = max(1, len(issue.values) - 1)
            start = issue.position(desired[key])
            candidates: list[Value] = list(issue.values)
            if issue.kind == "integer":
                low, high = int(issue.values[0]), int(issue.values[-1])
                near = self._landmarks.get(key, set()) | {low, high, int(desired[key])}
                candidates = sorted(v for v in near if low <= v <= high)
            order = sorted(
                candidates, key=lambda v: (abs(issue.position(v) - start), -self.part(key, v))
            )
            ranked.append(order)
            costs.append(
                [
                    0.0 if i == 0 else 1.0 + abs(issue.position(v) - start) / span
                    for i, v in enumerate(order)
                ]
            )
        origin = tuple(0 for _ in keys)
        frontier: list[tuple[float, tuple[int, ...]]] = [(0.0, origin)]
        seen = {origin}
        for _ in range(limit):
            if not frontier:
                return None
            cost, choice = heapq.heappop(frontier)
            package = dict(desired)
            package.update(
                (key, ranked[i][c]) for i, (key, c) in enumerate(zip(keys, choice, strict=True))
            )
            if self.acceptable(package):
                return package
            for i, c in enumerate(choice):
                if c + 1 < len(ranked[i]):
                    following = (*choice[:i], c + 1, *choice[i + 1 :])
                    if following not in seen:
                        seen.add(following)
                        heapq.heappush(frontier, (cost - costs[i][c] + costs[i][c + 1], following))
        return None


def _collect(tree: Tree, touched: set[str], landmarks: dict[str, set[int]]) -> None:
    """Note the issues a red-line tree tests and the integer constants it compares with."""
    for arg in tree.get("args", ()):
        _collect(arg, touched, landmarks)
    for key in ("arg", "if", "then"):
        if key in tree:
            _collect(tree[key], touched, landmarks)
    if "issue" in tree:
        touched.add(tree["issue"])
        for value in [tree.get("value"), *tree.get("values", ())]:
            if type(value) is int:
                landmarks.setdefault(tree["issue"], set()).update((value - 1, value, value + 1))


def _consensus(agenda: Agenda, others: Sequence[Mapping[str, Value]]) -> dict[str, Value]:
    """For each issue, the value the other parties propose most (for integers: their median)."""
    out: dict[str, Value] = {}
    for issue in agenda.issues:
        proposed = [package[issue.key] for package in others if issue.key in package]
        if not proposed:
            continue
        if issue.kind == "integer":
            ordered = sorted(int(v) for v in proposed)
            out[issue.key] = ordered[len(ordered) // 2]
        else:
            out[issue.key] = max(set(proposed), key=lambda v: (proposed.count(v), str(v)))
    return out
