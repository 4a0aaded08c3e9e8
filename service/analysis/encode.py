"""The agenda as CP-SAT variables and red lines as reified literals.

Each issue is an integer variable over its positions (option index, the integer itself, 0/1
for a boolean); an issue of few values also gets one literal per value (exactly one true),
which gives the solver's linear relaxation the exact range of every sum over that issue (a
utility), and so tight bounds. Each test of a red line becomes a literal that is true exactly
when the issue's value lies in the test's allowed set; ``and``, ``or``, ``not`` and ``implies`` are
reified in turn, and identical sub-trees share one literal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from service.domain.agenda import Agenda, Issue, IssueKind, Package, Value
from service.domain.redline.evaluate import atom_of
from service.domain.redline.nodes import And, Compare, Implies, Member, Node, Not, Or

Literal = Any  # a CP-SAT literal: a BoolVar, its negation, or a constant
ONE_HOT_MAX = 256  # issues with more values keep only their integer variable


def _bounds(issue: Issue) -> tuple[int, int]:
    if issue.kind is IssueKind.OPTIONS:
        return 0, len(issue.options) - 1
    if issue.kind is IssueKind.INTEGER:
        return issue.minimum, issue.maximum
    return 0, 1


def encode_value(issue: Issue, value: Value) -> int:
    """Return the integer that stands for ``value`` in the model."""
    return issue.position(value)


def decode_value(issue: Issue, number: int) -> Value:
    """Return the value an integer of the model stands for."""
    if issue.kind is IssueKind.OPTIONS:
        return issue.options[number]
    if issue.kind is IssueKind.BOOLEAN:
        return bool(number)
    return int(number)


class Encoding:
    """An agenda's variables in one model, and the literals of the red lines put to it."""

    def __init__(self, agenda: Agenda, model: cp_model.CpModel) -> None:
        self.agenda = agenda
        self.model = model
        self.vars: dict[str, cp_model.IntVar] = {}
        for issue in agenda.issues:
            low, high = _bounds(issue)
            self.vars[issue.key] = model.new_int_var(low, high, issue.key)
        self._literals: dict[Node, Literal] = {}
        self._values: dict[str, list[Literal]] = {}
        self.true = model.new_constant(1)

    def value_literals(self, key: str) -> list[Literal] | None:
        """Return one literal per value of the issue, in order (None for a large domain)."""
        found = self._values.get(key)
        if found is None:
            issue = self.agenda.issue(key)
            if issue.size > ONE_HOT_MAX:
                return None
            low, _ = _bounds(issue)
            found = [self.model.new_bool_var(f"{key}#{i}") for i in range(issue.size)]
            self.model.add_map_domain(self.vars[key], found, low)
            self.model.add_exactly_one(found)
            self._values[key] = found
        return found

    def literal(self, node: Node) -> Literal:
        """Return a literal true exactly when ``node`` holds (memoised per sub-tree)."""
        found = self._literals.get(node)
        if found is None:
            found = self._literals[node] = self._encode(node)
        return found

    def _encode(self, node: Node) -> Literal:
        model = self.model
        if isinstance(node, Compare | Member):
            return self._test(node)
        if isinstance(node, Not):
            return ~self.literal(node.arg)
        if isinstance(node, Implies):
            premise, conclusion = self.literal(node.if_), self.literal(node.then)
            return self._or([~premise, conclusion])
        parts = [self.literal(arg) for arg in node.args]
        if isinstance(node, And):
            b = model.new_bool_var("and")
            model.add_bool_and(parts).only_enforce_if(b)
            model.add_bool_or([~p for p in parts]).only_enforce_if(~b)
            return b
        assert isinstance(node, Or)
        return self._or(parts)

    def _or(self, parts: list[Literal]) -> Literal:
        b = self.model.new_bool_var("or")
        self.model.add_bool_or(parts).only_enforce_if(b)
        self.model.add_bool_and([~p for p in parts]).only_enforce_if(~b)
        return b

    def _test(self, node: Compare | Member) -> Literal:
        from ortools.sat.python import cp_model

        issue = self.agenda.issue(node.issue)
        atom = atom_of(node, self.agenda)
        low, high = _bounds(issue)
        if isinstance(atom.container, range):
            span = atom.container
            inside = (
                cp_model.Domain(span.start, span.stop - 1)
                if len(span)
                else cp_model.Domain.from_values([])
            )
        else:
            values: frozenset[Value] = atom.container  # type: ignore[assignment]
            inside = cp_model.Domain.from_values(sorted(encode_value(issue, v) for v in values))
        full = cp_model.Domain(low, high)
        allowed = (
            inside.intersection_with(full)
            if atom.positive
            else inside.complement().intersection_with(full)
        )
        if allowed.is_empty():
            return ~self.true
        if full.is_included_in(allowed):
            return self.true
        b = self.model.new_bool_var(f"t_{node.issue}")
        refused = allowed.complement().intersection_with(full)
        variable = self.vars[node.issue]
        self.model.add_linear_expression_in_domain(variable, allowed).only_enforce_if(b)
        self.model.add_linear_expression_in_domain(variable, refused).only_enforce_if(~b)
        return b

    def require(self, node: Node) -> None:
        """Add ``node`` as a hard constraint."""
        self.model.add_bool_or([self.literal(node)])

    def fix(self, package: Mapping[str, Value]) -> None:
        """Pin the assigned issues of a (partial) package."""
        for key, value in package.items():
            self.model.add(self.vars[key] == encode_value(self.agenda.issue(key), value))

    def package(self, solver: cp_model.CpSolver) -> Package:
        """Read the package of the solver's current solution."""
        return {
            issue.key: decode_value(issue, int(solver.value(self.vars[issue.key])))
            for issue in self.agenda.issues
        }
