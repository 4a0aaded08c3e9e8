"""A deliberately simple evaluator of JSON trees: the brute-force oracle of the properties.

The service has one evaluator (``service.domain.redline.evaluate``, compiled closures); this
one walks the tree straight from the definitions, so the tests can hold that one to it.
"""

from __future__ import annotations

import itertools
from typing import Any

from service.domain.agenda import Agenda


def _ordinal(agenda: Agenda, issue: str, value: Any) -> Any:
    spec = agenda.issue(issue)
    return spec.options.index(value) if spec.options else value


def holds(tree: dict[str, Any], package: dict[str, Any], agenda: Agenda) -> bool:
    """Two-valued truth of a tree on a full package, straight from the definitions."""
    op = tree["op"]
    if op == "and":
        return all(holds(a, package, agenda) for a in tree["args"])
    if op == "or":
        return any(holds(a, package, agenda) for a in tree["args"])
    if op == "not":
        return not holds(tree["arg"], package, agenda)
    if op == "implies":
        return (not holds(tree["if"], package, agenda)) or holds(tree["then"], package, agenda)
    value = package[tree["issue"]]
    if op == "in":
        return value in tree["values"]
    if op == "not_in":
        return value not in tree["values"]
    left, right = (
        _ordinal(agenda, tree["issue"], value),
        _ordinal(agenda, tree["issue"], tree["value"]),
    )
    return {
        "eq": left == right,
        "ne": left != right,
        "lt": left < right,
        "le": left <= right,
        "gt": left > right,
        "ge": left >= right,
    }[op]


def evaluate(tree: dict[str, Any], package: dict[str, Any], agenda: Agenda) -> bool | None:
    """Three-valued (Kleene) truth of a tree on a possibly partial package.

    A test on an unassigned issue is decided only when every value of its issue decides it
    the same way; ``and``/``or``/``not``/``->`` follow Kleene's tables.
    """
    op = tree["op"]
    if op in ("and", "or"):
        values = [evaluate(a, package, agenda) for a in tree["args"]]
        decisive = op == "or"  # True decides an 'or', False an 'and'
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    if op == "not":
        inner = evaluate(tree["arg"], package, agenda)
        return None if inner is None else not inner
    if op == "implies":
        return evaluate(
            {"op": "or", "args": [{"op": "not", "arg": tree["if"]}, tree["then"]]},
            package,
            agenda,
        )
    key = tree["issue"]
    if key in package:
        return holds(tree, package, agenda)
    truths = {holds(tree, {key: value}, agenda) for value in agenda.issue(key).values()}
    return truths.pop() if len(truths) == 1 else None


def completions(package: dict[str, Any], agenda: Agenda) -> list[dict[str, Any]]:
    """Every full package that extends a partial one."""
    missing = [issue for issue in agenda.issues if issue.key not in package]
    out = []
    for combo in itertools.product(*(list(issue.values()) for issue in missing)):
        full = dict(package)
        full.update({issue.key: value for issue, value in zip(missing, combo, strict=True)})
        out.append(full)
    return out
