"""Plain-words reasons why a red line holds, fails or is undetermined on a package."""

from __future__ import annotations

from service.domain.agenda import Agenda, Package, format_value
from service.domain.redline.evaluate import evaluate
from service.domain.redline.nodes import And, Compare, Implies, Member, Node, Not, Or, issues_of
from service.domain.redline.text import render


def explain(node: Node, package: Package, agenda: Agenda) -> str:
    """Say why the red line ``node`` is satisfied, violated or undetermined on ``package``."""
    truth = evaluate(node, package, agenda)
    if truth is None:
        missing = [key for key in issues_of(node) if key not in package]
        return "undetermined: it depends on unassigned issue(s) " + ", ".join(missing)
    facts = _why(node, package, agenda, truth)
    verdict = "satisfied" if truth else "violated"
    return f"{verdict}: " + "; ".join(dict.fromkeys(facts))


def _why(node: Node, package: Package, agenda: Agenda, truth: bool) -> list[str]:
    if isinstance(node, Compare | Member):
        if node.issue not in package:
            return [f"'{render(node)}' holds whatever {node.issue} is"]
        value = format_value(package[node.issue])
        return [f"{node.issue} is {value}, so '{render(node)}' is {'true' if truth else 'false'}"]
    if isinstance(node, Not):
        return _why(node.arg, package, agenda, not truth)
    if isinstance(node, Implies):
        premise = evaluate(node.if_, package, agenda)
        if truth and premise is False:
            return _why(node.if_, package, agenda, False)
        if truth:
            return _why(node.then, package, agenda, True)
        return _why(node.if_, package, agenda, True) + _why(node.then, package, agenda, False)
    deciding = truth if isinstance(node, Or) else not truth
    values = [(arg, evaluate(arg, package, agenda)) for arg in node.args]
    if deciding:
        # One argument decides: false for 'and', true for 'or'.
        target = isinstance(node, Or)
        arg = next(a for a, v in values if v is target)
        return _why(arg, package, agenda, target)
    assert isinstance(node, And | Or)
    return [fact for arg, v in values if v is truth for fact in _why(arg, package, agenda, truth)]
