"""The red-line language on the client side: read from text, and evaluated on packages.

``parse_expr`` reads the same grammar as the service's (README, "The red-line language"), so
a scenario is checked before a summit; the tree it builds is the API's ``constraint`` form.
Every issue and value is checked against the agenda, and an error says where (the offset in
the text) and what was expected there.

``compile_red_line`` is the client's one evaluator of such trees (the clients package never
imports the service); a test keeps it in agreement with the server's checker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clients.agenda import Agenda
from clients.models import Value

Tree = Mapping[str, Any]
Predicate = Callable[[Mapping[str, Value]], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<int>-?[0-9]+)|(?P<word>[a-z][a-z0-9_]*)|(?P<op>->|==|!=|<=|>=|<|>|[(){},]))"
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_COMPARE = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_ORDERING = {"lt", "le", "gt", "ge"}


@dataclass
class ExprError(Exception):
    """A red line that cannot be read: what is wrong, at which offset, and what is allowed."""

    message: str
    offset: int
    expected: str = ""

    def __str__(self) -> str:
        tail = f"; expected {self.expected}" if self.expected else ""
        return f"{self.message}{tail}"


@dataclass(frozen=True)
class _Token:
    kind: str  # int, word, op or end
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    at = 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            where = len(text) - len(text[at:].lstrip())
            raise ExprError(f"unexpected character {text[where]!r}", where, "an issue, a value")
        kind = match.lastgroup or "op"
        out.append(_Token(kind, match.group(kind), match.start(kind)))
        at = match.end()
    out.append(_Token("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str, issues: Mapping[str, Mapping[str, Any]]) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.issues = issues

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise ExprError(f"found {_shown(token)}", token.offset, repr(text))

    def expr(self) -> dict[str, Any]:
        left = self.disjunction()
        if self.peek().text == "->":
            self.take()
            return {"op": "implies", "if": left, "then": self.expr()}
        return left

    def disjunction(self) -> dict[str, Any]:
        args = [self.conjunction()]
        while self.peek().text == "or" and self.peek().kind == "word":
            self.take()
            args.append(self.conjunction())
        return args[0] if len(args) == 1 else {"op": "or", "args": args}

    def conjunction(self) -> dict[str, Any]:
        args = [self.unary()]
        while self.peek().text == "and" and self.peek().kind == "word":
            self.take()
            args.append(self.unary())
        return args[0] if len(args) == 1 else {"op": "and", "args": args}

    def unary(self) -> dict[str, Any]:
        token = self.peek()
        if token.kind == "word" and token.text == "not":
            self.take()
            return {"op": "not", "arg": self.unary()}
        if token.text == "(":
            self.take()
            inner = self.expr()
            self.expect(")")
            return inner
        return self.test()

    def test(self) -> dict[str, Any]:
        token = self.take()
        if token.kind != "word" or token.text in _KEYWORDS:
            raise ExprError(f"found {_shown(token)}", token.offset, "an issue, 'not' or '('")
        issue = self.issues.get(token.text)
        if issue is None:
            known = ", ".join(self.issues)
            raise ExprError(f"unknown issue {token.text!r}", token.offset, f"one of {known}")
        key, nxt = token.text, self.peek()
        if nxt.text in _COMPARE:
            self.take()
            op = _COMPARE[nxt.text]
            if op in _ORDERING and issue["kind"] == "boolean":
                raise ExprError(
                    f"{nxt.text!r} does not apply to boolean issue {key!r}",
                    nxt.offset,
                    "==, !=, in or not in",
                )
            return {"op": op, "issue": key, "value": self.value(issue, key)}
        if nxt.kind == "word" and nxt.text in ("in", "not"):
            self.take()
            op = "in"
            if nxt.text == "not":
                self.expect("in")
                op = "not_in"
            self.expect("{")
            values = [self.value(issue, key)]
            while self.peek().text == ",":
                self.take()
                values.append(self.value(issue, key))
            self.expect("}")
            return {"op": op, "issue": key, "values": _in_domain_order(values, issue)}
        if issue["kind"] != "boolean":
            raise ExprError(
                f"issue {key!r} is not boolean: compare it with a value",
                token.offset,
                "==, !=, <, <=, >, >=, in or not in",
            )
        return {"op": "eq", "issue": key, "value": True}

    def value(self, issue: Mapping[str, Any], key: str) -> Any:
        token = self.take()
        kind = issue["kind"]
        if kind == "options":
            options: Sequence[str] = issue.get("options") or []
            if token.kind == "word" and token.text in options:
                return token.text
            raise ExprError(
                f"{_shown(token)} is not an option of issue {key!r}",
                token.offset,
                f"one of {', '.join(options)}",
            )
        if kind == "integer":
            low, high = int(issue["min"]), int(issue["max"])
            if token.kind == "int" and low <= int(token.text) <= high:
                return int(token.text)
            what = "outside the range" if token.kind == "int" else "not an integer"
            raise ExprError(
                f"{_shown(token)} is {what} of issue {key!r}",
                token.offset,
                f"an integer from {low} to {high}",
            )
        if token.kind == "word" and token.text in ("true", "false"):
            return token.text == "true"
        raise ExprError(
            f"issue {key!r} is boolean; {_shown(token)} is not true or false",
            token.offset,
            "true or false",
        )


def _in_domain_order(values: list[Any], issue: Mapping[str, Any]) -> list[Any]:
    """Return a set's values once each, in the order of the issue's domain (as the server)."""
    if issue["kind"] == "options":
        return [option for option in issue.get("options") or [] if option in values]
    if issue["kind"] == "boolean":
        return [b for b in (False, True) if b in values]
    return sorted(set(values))


def _shown(token: _Token) -> str:
    return "the end of the text" if token.kind == "end" else repr(token.text)


def parse_expr(text: str, issues: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Parse a red line against an agenda (issue key to its API description); raise ExprError."""
    parser = _Parser(text, issues)
    tree = parser.expr()
    rest = parser.peek()
    if rest.kind != "end":
        raise ExprError(f"found {_shown(rest)}", rest.offset, "'and', 'or', '->' or the end")
    return tree


def compile_red_line(tree: Tree, agenda: Agenda) -> Predicate:
    """Turn a red-line tree (the API's ``constraint``) into its truth on full packages.

    The client's one evaluator: tests become membership in the set of allowed values,
    compiled once, so a delegation's searches test thousands of packages cheaply.
    """
    op = tree["op"]
    if op in ("and", "or"):
        parts = [compile_red_line(arg, agenda) for arg in tree["args"]]
        if op == "and":
            return lambda p: all(f(p) for f in parts)
        return lambda p: any(f(p) for f in parts)
    if op == "not":
        inner = compile_red_line(tree["arg"], agenda)
        return lambda p: not inner(p)
    if op == "implies":
        premise = compile_red_line(tree["if"], agenda)
        conclusion = compile_red_line(tree["then"], agenda)
        return lambda p: not premise(p) or conclusion(p)
    key = tree["issue"]
    issue = agenda.by_key[key]
    if op in ("in", "not_in"):
        allowed = frozenset(tree["values"])
    else:
        right = issue.position(tree["value"])
        compare: dict[str, Callable[[int], bool]] = {
            "eq": lambda x: x == right,
            "ne": lambda x: x != right,
            "lt": lambda x: x < right,
            "le": lambda x: x <= right,
            "gt": lambda x: x > right,
            "ge": lambda x: x >= right,
        }
        allowed = frozenset(v for v in issue.values if compare[op](issue.position(v)))
    if op == "not_in":
        return lambda p: p[key] not in allowed
    return lambda p: p[key] in allowed
