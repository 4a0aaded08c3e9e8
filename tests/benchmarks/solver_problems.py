"""Generated negotiation problems for the solver benchmark, the same for Parley and negmas.

Four parties over ``n`` issues of 4 to 6 ordered options. Each party has 10 red lines: 8 hold
at a hidden package (so, with only those 8 active, a deal exists) and 2 conflict with other
parties' red lines (a pair ``x in T`` / ``x not in T``, or a triple ``x in T``, ``y in U``,
``x in T -> y not in U``), so with all 40 active no package keeps them all. Preferences are
linear additive with integer weights summing to 1000 and scores in tenths, so that utilities
are exact multiples of 1/10000 and both tools optimise exactly the same numbers.

Each red line comes as text (for Parley) and as a predicate on an outcome tuple (for negmas).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PARTIES = ("p0", "p1", "p2", "p3")
WEIGHT_TOTAL = 1000


@dataclass
class RedLineSpec:
    """A red line as text and as a predicate over an outcome tuple."""

    party: str
    expr: str
    holds: Callable[[tuple[str, ...]], bool]
    conflicting: bool


@dataclass
class Problem:
    """One generated problem."""

    issues: list[dict[str, Any]]
    preferences: dict[str, dict[str, Any]]
    red_lines: list[RedLineSpec] = field(default_factory=list)
    planted: dict[str, str] = field(default_factory=dict)

    @property
    def packages(self) -> int:
        """How many full packages the agenda has."""
        return math.prod(len(issue["options"]) for issue in self.issues)

    def active(self, *, with_conflicts: bool) -> list[RedLineSpec]:
        """The red lines in force: all 40, or the 32 that leave room for a deal."""
        return [rl for rl in self.red_lines if with_conflicts or not rl.conflicting]


def _partition(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def generate(n_issues: int, seed: int = 0) -> Problem:
    """Generate a problem with ``n_issues`` issues (deterministic for a seed)."""
    rng = random.Random(f"{n_issues}:{seed}")
    issues = []
    for i in range(n_issues):
        count = rng.randint(4, 6)
        issues.append(
            {"key": f"i{i}", "kind": "options", "options": [f"v{j}" for j in range(count)]}
        )
    index = {issue["key"]: k for k, issue in enumerate(issues)}
    options = {issue["key"]: issue["options"] for issue in issues}
    planted = {issue["key"]: rng.choice(issue["options"]) for issue in issues}
    problem = Problem(issues, {}, planted=planted)
    members: list[tuple[str, str, frozenset[str]]] = []  # (party, issue, allowed)

    def member(party: str) -> RedLineSpec:
        key = rng.choice(list(options))
        others = [o for o in options[key] if o != planted[key]]
        allowed = frozenset([planted[key], *rng.sample(others, rng.randint(1, len(others) - 1))])
        members.append((party, key, allowed))
        k = index[key]
        return RedLineSpec(
            party, f"{key} in {{{', '.join(sorted(allowed))}}}", lambda o: o[k] in allowed, False
        )

    def at_least(party: str) -> RedLineSpec:
        key = rng.choice(list(options))
        position = options[key].index(planted[key])
        k = index[key]
        ranks = {value: r for r, value in enumerate(options[key])}
        if position >= 1:
            bound = rng.randint(1, position)
            text = f"{key} >= {options[key][bound]}"
            return RedLineSpec(party, text, lambda o: ranks[o[k]] >= bound, False)
        bound = rng.randint(position, len(options[key]) - 2)
        text = f"{key} <= {options[key][bound]}"
        return RedLineSpec(party, text, lambda o: ranks[o[k]] <= bound, False)

    def implication(party: str) -> RedLineSpec:
        x, y = rng.sample(list(options), 2)
        trigger = rng.choice(options[x])
        chosen = rng.sample(options[y], rng.randint(1, len(options[y]) - 1))
        if trigger == planted[x] and planted[y] not in chosen:
            chosen.append(planted[y])
        allowed = frozenset(chosen)
        kx, ky = index[x], index[y]
        text = f"{x} == {trigger} -> {y} in {{{', '.join(sorted(allowed))}}}"
        return RedLineSpec(party, text, lambda o: o[kx] != trigger or o[ky] in allowed, False)

    def excluded(party: str) -> RedLineSpec:
        key = rng.choice(list(options))
        others = [o for o in options[key] if o != planted[key]]
        refused = frozenset(rng.sample(others, rng.randint(1, 2)))
        k = index[key]
        return RedLineSpec(
            party,
            f"{key} not in {{{', '.join(sorted(refused))}}}",
            lambda o: o[k] not in refused,
            False,
        )

    makers = [member, member, at_least, implication, excluded]
    for party in PARTIES:
        for _ in range(8):
            problem.red_lines.append(rng.choice(makers)(party))
    for party in PARTIES:
        for _ in range(2):
            problem.red_lines.append(_conflicting(party, members, index, rng))
    problem.preferences = {party: _preferences(issues, planted, rng) for party in PARTIES}
    return problem


def _conflicting(
    party: str,
    members: list[tuple[str, str, frozenset[str]]],
    index: dict[str, int],
    rng: random.Random,
) -> RedLineSpec:
    theirs = [m for m in members if m[0] != party]
    first = rng.choice(theirs)
    second = [m for m in theirs if m[1] != first[1]]
    _, x, allowed_x = first
    kx = index[x]
    if not second or rng.random() < 0.5:
        text = f"{x} not in {{{', '.join(sorted(allowed_x))}}}"
        return RedLineSpec(party, text, lambda o: o[kx] not in allowed_x, True)
    _, y, allowed_y = rng.choice(second)
    ky = index[y]
    text = (
        f"{x} in {{{', '.join(sorted(allowed_x))}}} -> "
        f"{y} not in {{{', '.join(sorted(allowed_y))}}}"
    )
    return RedLineSpec(
        party, text, lambda o: o[kx] not in allowed_x or o[ky] not in allowed_y, True
    )


def _preferences(
    issues: list[dict[str, Any]], planted: dict[str, str], rng: random.Random
) -> dict[str, Any]:
    weights = _partition(WEIGHT_TOTAL, len(issues), rng) if len(issues) > 1 else [WEIGHT_TOTAL]
    scores = {}
    for issue in issues:
        tenths = [rng.randint(0, 10) for _ in issue["options"]]
        tenths[rng.randrange(len(tenths))] = 10
        scores[issue["key"]] = {o: t / 10 for o, t in zip(issue["options"], tenths, strict=True)}
    document = {
        "weights": {issue["key"]: w for issue, w in zip(issues, weights, strict=True)},
        "scores": scores,
    }
    at_planted = (
        sum(
            w * scores[issue["key"]][planted[issue["key"]]]
            for issue, w in zip(issues, weights, strict=True)
        )
        / WEIGHT_TOTAL
    )
    document["reservation"] = round(min(0.35, 0.7 * at_planted), 2)
    return document
