"""Plain-words reasons why a red line holds, fails or is undetermined on a package.

``compile_explainer`` prepares a red line once (each sub-expression's evaluator and text), so
explaining it on a package costs a few closure calls and string joins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from service.domain.agenda import Agenda, Package, format_value
from service.domain.redline.evaluate import Evaluator, compile_node
from service.domain.redline.nodes import (
    And,
    Compare,
    Implies,
    Member,
    Node,
    Not,
    Or,
    children,
    issues_of,
)
from service.domain.redline.text import render

Explainer = Callable[[Package], str]


@dataclass(frozen=True, slots=True)
class _Part:
    node: Node
    truth: Evaluator
    text: str
    parts: tuple[_Part, ...]


def _prepare(node: Node, agenda: Agenda) -> _Part:
    parts = tuple(_prepare(child, agenda) for child in children(node))
    return _Part(node, compile_node(node, agenda), render(node), parts)


def compile_explainer(node: Node, agenda: Agenda) -> Explainer:
    """Return a function that says why ``node`` is satisfied, violated or undetermined."""
    root = _prepare(node, agenda)
    issues = issues_of(node)

    def explain_package(package: Package) -> str:
        truth = root.truth(package)
        if truth is None:
            missing = [key for key in issues if key not in package]
            return "undetermined: it depends on unassigned issue(s) " + ", ".join(missing)
        facts = _why(root, package, truth)
        verdict = "satisfied" if truth else "violated"
        return f"{verdict}: " + "; ".join(dict.fromkeys(facts))

    return explain_package


def _why(part: _Part, package: Package, truth: bool) -> list[str]:
    node = part.node
    if isinstance(node, Compare | Member):
        if node.issue not in package:
            return [f"'{part.text}' holds whatever {node.issue} is"]
        value = format_value(package[node.issue])
        return [f"{node.issue} is {value}, so '{part.text}' is {'true' if truth else 'false'}"]
    if isinstance(node, Not):
        return _why(part.parts[0], package, not truth)
    if isinstance(node, Implies):
        premise, conclusion = part.parts
        if truth and premise.truth(package) is False:
            return _why(premise, package, False)
        if truth:
            return _why(conclusion, package, True)
        return _why(premise, package, True) + _why(conclusion, package, False)
    target = isinstance(node, Or)
    if truth is target:
        # One argument decides: true for 'or', false for 'and'.
        decisive = next(p for p in part.parts if p.truth(package) is target)
        return _why(decisive, package, target)
    assert isinstance(node, And | Or)
    return [
        fact for p in part.parts if p.truth(package) is truth for fact in _why(p, package, truth)
    ]
