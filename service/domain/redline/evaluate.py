"""The server's one evaluator of red-line trees: compiled once, three-valued, fast on full packages.

Three-valued logic is Kleene's: a test on an unassigned issue is *undetermined* unless the
domain alone decides it (``months <= 60`` when 60 is the maximum), and ``and``/``or`` are
decided as soon as one argument decides them. On a full package nothing is undetermined, so
the same closures answer True or False there.

``compile_red_line`` turns a tree into closures once, so a summit's red lines are checked
without walking trees; a red line over one or two small issues is also tabulated (by running
its closure over the joint domain), so the checker can evaluate it with C-level
``map``/``zip`` over the package. The checker, the explanations and the tests all go through
``compile_node``; the tests hold it to a naive evaluator of their own.
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
    Test,
    issues_of,
)

Truth = bool | None
Evaluator = Callable[[Package], Truth]
# Red lines over at most two issues whose joint domain is this small are tabulated.
TABLE_LIMIT = 1024


@dataclass(frozen=True, slots=True)
class Atom:
    """A test reduced to ``value in container`` (or ``not in`` when ``positive`` is false).

    ``constant`` is the test's truth when the domain alone decides it, else None.
    """

    issue: str
    container: Container[Value]
    positive: bool
    constant: Truth


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
    """A red line's tree turned into a closure (and a table where it is small)."""

    issues: tuple[str, ...]
    evaluate: Evaluator
    # Satisfying values (one issue) or value pairs (two issues), when tabulated.
    table: frozenset[object] | None


def compile_red_line(node: Node, agenda: Agenda) -> CompiledRedLine:
    """Compile a tree for fast evaluation on full and partial packages."""
    evaluate = compile_node(node, agenda)
    issues = issues_of(node)
    table: frozenset[object] | None = None
    sizes = [agenda.issue(key).size for key in issues]
    if len(issues) <= 2 and _product(sizes) <= TABLE_LIMIT:
        domains = [list(agenda.issue(key).values()) for key in issues]
        if len(issues) == 1:
            (key,) = issues
            table = frozenset(v for v in domains[0] if evaluate({key: v}))
        else:
            first, second = issues
            table = frozenset(
                pair
                for pair in itertools.product(*domains)
                if evaluate({first: pair[0], second: pair[1]})
            )
    return CompiledRedLine(issues, evaluate, table)


def _product(sizes: Iterable[int]) -> int:
    total = 1
    for size in sizes:
        total *= size
        if total > TABLE_LIMIT:
            break
    return total


def compile_node(node: Node, agenda: Agenda) -> Evaluator:
    """Compile ``node`` into a closure: True, False or None (undetermined) on a package.

    The closures are shaped for full packages, the hot path: a test reads its issue with
    ``p[key]`` (a missing issue is the rare exception), and two-argument ``and``/``or``
    avoid building generators.
    """
    if isinstance(node, Compare | Member):
        return _test(atom_of(node, agenda))
    if isinstance(node, Not):
        return _negation(compile_node(node.arg, agenda))
    if isinstance(node, Implies):
        return _implication(compile_node(node.if_, agenda), compile_node(node.then, agenda))
    parts = [compile_node(arg, agenda) for arg in node.args]
    if isinstance(node, And):
        return _conjunction(parts)
    return _disjunction(parts)


def _test(atom: Atom) -> Evaluator:
    key, container, constant = atom.issue, atom.container, atom.constant
    if atom.positive:

        def holds(p: Package) -> Truth:
            try:
                return p[key] in container
            except KeyError:
                return constant

        return holds

    def holds_not(p: Package) -> Truth:
        try:
            return p[key] not in container
        except KeyError:
            return constant

    return holds_not


def _negation(inner: Evaluator) -> Evaluator:
    def negate(p: Package) -> Truth:
        value = inner(p)
        return None if value is None else not value

    return negate


def _implication(premise: Evaluator, conclusion: Evaluator) -> Evaluator:
    def implies(p: Package) -> Truth:
        first = premise(p)
        if first is False:
            return True
        second = conclusion(p)
        if second is True:
            return True
        return None if first is None or second is None else False

    return implies


def _conjunction(parts: list[Evaluator]) -> Evaluator:
    if len(parts) == 2:
        a, b = parts

        def both(p: Package) -> Truth:
            first = a(p)
            if first is False:
                return False
            second = b(p)
            if second is False:
                return False
            # Each is True or None here: None (undetermined) wins.
            return first and second

        return both
    return lambda p: kleene_and(f(p) for f in parts)


def _disjunction(parts: list[Evaluator]) -> Evaluator:
    if len(parts) == 2:
        a, b = parts

        def either(p: Package) -> Truth:
            first = a(p)
            if first is True:
                return True
            second = b(p)
            if second is True:
                return True
            return None if first is None or second is None else False

        return either
    return lambda p: kleene_or(f(p) for f in parts)
