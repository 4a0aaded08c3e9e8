"""Generated agendas, red lines and packages for the benchmarks."""

from __future__ import annotations

import random
from typing import Any


def agenda_specs(issues: int = 10, options: int = 5) -> list[dict[str, Any]]:
    """An agenda of mostly options issues, one integer and one boolean issue."""
    specs: list[dict[str, Any]] = [
        {
            "key": f"i{i}",
            "title": f"Issue {i}",
            "kind": "options",
            "options": [f"o{j}" for j in range(options)],
        }
        for i in range(issues - 2)
    ]
    specs.append({"key": "months", "title": "Months", "kind": "integer", "min": 0, "max": 60})
    specs.append({"key": "cell", "title": "Joint cell", "kind": "boolean"})
    return specs


def _test(rng: random.Random, specs: list[dict[str, Any]]) -> str:
    spec = rng.choice(specs)
    if spec["kind"] == "options":
        return f"{spec['key']} {rng.choice(['==', '!=', '<=', '>='])} {rng.choice(spec['options'])}"
    if spec["kind"] == "integer":
        return f"{spec['key']} {rng.choice(['<=', '>='])} {rng.randint(0, 60)}"
    return spec["key"] if rng.random() < 0.5 else f"not {spec['key']}"


def red_lines(rng: random.Random, specs: list[dict[str, Any]], count: int) -> list[str]:
    """Red lines shaped like real ones: single tests, implications and small conjunctions."""
    out = []
    for _ in range(count):
        r = rng.random()
        if r < 0.4:
            out.append(_test(rng, specs))
        elif r < 0.8:
            out.append(f"{_test(rng, specs)} -> {_test(rng, specs)}")
        else:
            out.append(f"{_test(rng, specs)} and ({_test(rng, specs)} or {_test(rng, specs)})")
    return out


def full_package(rng: random.Random, specs: list[dict[str, Any]]) -> dict[str, Any]:
    """A random full package."""
    out: dict[str, Any] = {}
    for spec in specs:
        if spec["kind"] == "options":
            out[spec["key"]] = rng.choice(spec["options"])
        elif spec["kind"] == "integer":
            out[spec["key"]] = rng.randint(spec["min"], spec["max"])
        else:
            out[spec["key"]] = rng.random() < 0.5
    return out
