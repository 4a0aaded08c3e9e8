"""The red-line tree: one immutable node per construct of the language.

Red lines are data, never callables: a tree can be stored, rendered, explained and compiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from service.domain.agenda import Value

COMPARE_OPS = ("eq", "ne", "lt", "le", "gt", "ge")
MEMBER_OPS = ("in", "not_in")
ORDERING_OPS = ("lt", "le", "gt", "ge")
# Deeper trees are refused with a 422; every recursive walk below relies on this bound.
MAX_DEPTH = 32
MAX_TEXT_LENGTH = 4000
# One size limit for the text and the tree form: nodes, counting each value of a set test.
MAX_NODES = 500


@dataclass(frozen=True, slots=True)
class Compare:
    """``issue <op> value``; a bare boolean issue is ``Compare("eq", issue, True)``."""

    op: str
    issue: str
    value: Value


@dataclass(frozen=True, slots=True)
class Member:
    """``issue in {...}`` or ``issue not in {...}``; values in domain order, without repeats."""

    op: str
    issue: str
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class And:
    """Every argument holds (two or more arguments)."""

    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one argument holds (two or more arguments)."""

    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The argument does not hold."""

    arg: Node


@dataclass(frozen=True, slots=True)
class Implies:
    """If ``if_`` holds then ``then`` holds."""

    if_: Node
    then: Node


Node: TypeAlias = Compare | Member | And | Or | Not | Implies
Test: TypeAlias = Compare | Member


def children(node: Node) -> tuple[Node, ...]:
    """Return the direct sub-expressions of a node."""
    if isinstance(node, And | Or):
        return node.args
    if isinstance(node, Not):
        return (node.arg,)
    if isinstance(node, Implies):
        return (node.if_, node.then)
    return ()


def issues_of(node: Node) -> tuple[str, ...]:
    """Return the issues a tree tests, in order of first appearance."""
    seen: dict[str, None] = {}
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Compare | Member):
            seen.setdefault(current.issue)
        else:
            stack.extend(reversed(children(current)))
    return tuple(seen)


def size_of(node: Node) -> int:
    """Return a tree's size: its nodes, each value of an ``in`` test counting as one."""
    size = 0
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        size += 1 + (len(current.values) if isinstance(current, Member) else 0)
        stack.extend(children(current))
    return size
