"""Evaluating red lines on packages: two-valued on full packages, three-valued on partial ones.

Three-valued logic is Kleene's: a test on an unassigned issue is *undetermined* unless the
domain alone decides it (``months <= 60`` when 60 is the maximum), and ``and``/``or`` are
decided as soon as one argument decides them.

``compile_red_line`` turns a tree into closures once, so a summit's red lines are checked
without walking trees; a red line over one or two small issues is also tabulated, so the
checker can evaluate it with C-level ``map``/``zip`` over the package.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from service.domain.agenda import Agenda, Issue, IssueKind, Package, Value
from service.domain.redline.nodes import (
    And,
    Compare,
    Implies,
    Member,
    Node,
    Not,
    Or,
    Test,
    issues_of,
)

Truth = bool | None
FullFn = Callable[[Package], bool]
PartialFn = Callable[[Package], Truth]
# Red lines over at most two issues whose joint domain is this small are tabulated.
TABLE_LIMIT = 1024
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Atom:
    """A test reduced to ``value in container`` (or ``not in`` when ``positive`` is false).

    ``constant`` is the test's truth when the domain alone decides it, else None.
    """

    issue: str
    container: Container[Value]
    positive: bool
    constant: Truth

    def holds(self, value: Value) -> bool:
        """Say whether the test holds for this value of its issue."""
        return (value in self.container) is self.positive


def atom_of(test: Test, agenda: Agenda) -> Atom:
    """Reduce a test to membership in a container of allowed (or excluded) values."""
    issue = agenda.issue(test.issue)
    container: frozenset[Value] | range
    if isinstance(test, Member):
        container = frozenset(test.values)
        positive = test.op == "in"
    elif test.op in ("eq", "ne"):
        container = frozenset((test.value,))
        positive = test.op == "eq"
    else:
        container = _ordered_range(issue, test.op, test.value)
        positive = True
    count = len(container)
    constant: Truth = None
    if count == 0:
        constant = not positive
    elif count == issue.size:
        constant = positive
    return Atom(test.issue, container, positive, constant)


def _ordered_range(issue: Issue, op: str, value: Value) -> frozenset[Value] | range:
    if issue.kind is IssueKind.INTEGER:
        v = int(value)
        low, high = issue.minimum, issue.maximum + 1
        bounds = {"lt": (low, v), "le": (low, v + 1), "gt": (v + 1, high), "ge": (v, high)}[op]
        return range(max(bounds[0], low), min(bounds[1], high))
    position = issue.position(value)
    chosen = {
        "lt": issue.options[:position],
        "le": issue.options[: position + 1],
        "gt": issue.options[position + 1 :],
        "ge": issue.options[position:],
    }[op]
    return frozenset(chosen)


def evaluate(node: Node, package: Package, agenda: Agenda) -> Truth:
    """Evaluate a tree on a (possibly partial) package by walking it: True, False or None."""
    if isinstance(node, Compare | Member):
        atom = atom_of(node, agenda)
        value = package.get(node.issue, _MISSING)
        if value is _MISSING:
            return atom.constant
        return atom.holds(value)  # type: ignore[arg-type]  # _MISSING was excluded above
    if isinstance(node, Not):
        inner = evaluate(node.arg, package, agenda)
        return None if inner is None else not inner
    if isinstance(node, And):
        return kleene_and(evaluate(arg, package, agenda) for arg in node.args)
    if isinstance(node, Or):
        return kleene_or(evaluate(arg, package, agenda) for arg in node.args)
    premise = evaluate(node.if_, package, agenda)
    return kleene_or(
        (None if premise is None else not premise, evaluate(node.then, package, agenda))
    )


def kleene_and(values: Iterable[Truth]) -> Truth:
    """Conjunction in Kleene's logic: false wins, then undetermined."""
    result: Truth = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def kleene_or(values: Iterable[Truth]) -> Truth:
    """Disjunction in Kleene's logic: true wins, then undetermined."""
    result: Truth = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


@dataclass(frozen=True, slots=True)
class CompiledRedLine:
    """A red line's tree turned into closures (and a table where it is small)."""

    issues: tuple[str, ...]
    full: FullFn
    partial: PartialFn
    # Satisfying values (one issue) or value pairs (two issues), when tabulated.
    table: frozenset[object] | None


def compile_red_line(node: Node, agenda: Agenda) -> CompiledRedLine:
    """Compile a tree for fast evaluation on full and partial packages."""
    full = _full(node, agenda)
    issues = issues_of(node)
    table: frozenset[object] | None = None
    sizes = [agenda.issue(key).size for key in issues]
    if len(issues) <= 2 and _product(sizes) <= TABLE_LIMIT:
        domains = [list(agenda.issue(key).values()) for key in issues]
        if len(issues) == 1:
            (key,) = issues
            table = frozenset(v for v in domains[0] if full({key: v}))
        else:
            first, second = issues
            table = frozenset(
                pair
                for pair in itertools.product(*domains)
                if full({first: pair[0], second: pair[1]})
            )
    return CompiledRedLine(issues, full, _partial(node, agenda), table)


def _product(sizes: Iterable[int]) -> int:
    total = 1
    for size in sizes:
        total *= size
        if total > TABLE_LIMIT:
            break
    return total


def _full(node: Node, agenda: Agenda) -> FullFn:
    if isinstance(node, Compare | Member):
        atom = atom_of(node, agenda)
        key, container = atom.issue, atom.container
        if atom.positive:
            return lambda p: p[key] in container
        return lambda p: p[key] not in container
    if isinstance(node, Not):
        inner = _full(node.arg, agenda)
        return lambda p: not inner(p)
    if isinstance(node, Implies):
        premise, conclusion = _full(node.if_, agenda), _full(node.then, agenda)
        return lambda p: not premise(p) or conclusion(p)
    parts = [_full(arg, agenda) for arg in node.args]
    if len(parts) == 2:
        a, b = parts
        if isinstance(node, And):
            return lambda p: a(p) and b(p)
        return lambda p: a(p) or b(p)
    if isinstance(node, And):
        return lambda p: all(f(p) for f in parts)
    return lambda p: any(f(p) for f in parts)


def partial_evaluator(node: Node, agenda: Agenda) -> PartialFn:
    """Compile ``node`` for three-valued evaluation on (possibly partial) packages."""
    return _partial(node, agenda)


def _partial(node: Node, agenda: Agenda) -> PartialFn:
    if isinstance(node, Compare | Member):
        atom = atom_of(node, agenda)
        key, container, positive, constant = (
            atom.issue,
            atom.container,
            atom.positive,
            atom.constant,
        )

        def test(p: Package) -> Truth:
            value = p.get(key, _MISSING)
            if value is _MISSING:
                return constant
            return (value in container) is positive

        return test
    if isinstance(node, Not):
        inner = _partial(node.arg, agenda)

        def negate(p: Package) -> Truth:
            value = inner(p)
            return None if value is None else not value

        return negate
    if isinstance(node, Implies):
        premise, conclusion = _partial(node.if_, agenda), _partial(node.then, agenda)

        def implies(p: Package) -> Truth:
            first = premise(p)
            return kleene_or((None if first is None else not first, conclusion(p)))

        return implies
    parts = [_partial(arg, agenda) for arg in node.args]
    if isinstance(node, And):
        return lambda p: kleene_and(f(p) for f in parts)
    return lambda p: kleene_or(f(p) for f in parts)
