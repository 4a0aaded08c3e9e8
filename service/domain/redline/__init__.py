"""The red-line language: text and JSON forms, canonical rendering, evaluation, explanation."""

from service.domain.redline.nodes import And, Compare, Implies, Member, Node, Not, Or, issues_of
from service.domain.redline.text import parse_expr, render
from service.domain.redline.tree import node_from_json, node_to_json

__all__ = [
    "And",
    "Compare",
    "Implies",
    "Member",
    "Node",
    "Not",
    "Or",
    "issues_of",
    "node_from_json",
    "node_to_json",
    "parse_expr",
    "render",
]
