"""The JSON form of the language: ``{"op": ..., ...}`` objects to and from the tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from service.domain.agenda import Agenda
from service.domain.errors import InvalidInput
from service.domain.redline.nodes import (
    COMPARE_OPS,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT_LENGTH,
    MEMBER_OPS,
    And,
    Compare,
    Implies,
    Member,
    Node,
    Not,
    Or,
)
from service.domain.redline.text import render
from service.domain.redline.validate import Problem, make_compare, make_member

_ALL_OPS = [*COMPARE_OPS, *MEMBER_OPS, "and", "or", "not", "implies"]
Loc: TypeAlias = list[str | int]


def node_to_json(node: Node) -> dict[str, Any]:
    """Return the JSON tree of a node (the ``constraint`` field of API.md)."""
    if isinstance(node, Compare):
        return {"op": node.op, "issue": node.issue, "value": node.value}
    if isinstance(node, Member):
        return {"op": node.op, "issue": node.issue, "values": list(node.values)}
    if isinstance(node, And | Or):
        return {
            "op": "and" if isinstance(node, And) else "or",
            "args": [node_to_json(a) for a in node.args],
        }
    if isinstance(node, Not):
        return {"op": "not", "arg": node_to_json(node.arg)}
    return {"op": "implies", "if": node_to_json(node.if_), "then": node_to_json(node.then)}


def node_from_json(raw: object, agenda: Agenda, *, field: str = "constraint") -> Node:
    """Read a JSON tree, checking its shape and every issue and value against the agenda.

    Errors are InvalidInput whose ``loc`` is the JSON path of the offending part.
    """
    _check_shape(raw, field)
    node = _read(raw, agenda, [field])
    if len(render(node)) > MAX_TEXT_LENGTH:
        raise _fail(
            [field], f"the constraint written as text is longer than {MAX_TEXT_LENGTH} characters"
        )
    return node


def _fail(loc: Loc, message: str, expected: object = None) -> InvalidInput:
    error: dict[str, Any] = {"loc": loc, "message": message}
    if expected is not None:
        error["expected"] = expected
    where = "/".join(str(part) for part in loc)
    return InvalidInput(f"{message} (at {where})", details={"errors": [error]})


def _check_shape(raw: object, field: str) -> None:
    """Refuse a tree deeper or larger than the text form allows, before reading any of it."""
    stack: list[tuple[object, int]] = [(raw, 1)]
    size = 0
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail([field], f"the constraint nests deeper than {MAX_DEPTH} levels")
        size += 1
        if isinstance(node, Mapping) and isinstance(node.get("values"), list):
            size += len(node["values"])
        if size > MAX_NODES:
            raise _fail(
                [field],
                f"the constraint has more than {MAX_NODES} parts (tests, operators, values)",
            )
        if isinstance(node, Mapping):
            for key in ("args", "arg", "if", "then"):
                sub = node.get(key)
                if isinstance(sub, list):
                    stack.extend((item, depth + 1) for item in sub)
                elif sub is not None:
                    stack.append((sub, depth + 1))


def _read(raw: object, agenda: Agenda, loc: Loc) -> Node:
    if not isinstance(raw, Mapping):
        raise _fail(loc, "a constraint node is a JSON object with an 'op'", _ALL_OPS)
    op = raw.get("op")
    if op in COMPARE_OPS:
        _only(raw, loc, {"op", "issue", "value"})
        key = _issue_key(raw, loc)
        if "value" not in raw:
            raise _fail([*loc, "value"], f"'{op}' needs a 'value'")
        return _guard(lambda: make_compare(agenda, str(op), key, raw["value"]), loc, "value")
    if op in MEMBER_OPS:
        _only(raw, loc, {"op", "issue", "values"})
        key = _issue_key(raw, loc)
        values = raw.get("values")
        if not isinstance(values, list) or not values:
            raise _fail([*loc, "values"], f"'{op}' needs a non-empty list 'values'")
        return _guard(lambda: make_member(agenda, str(op), key, values), loc, "values")
    if op in ("and", "or"):
        _only(raw, loc, {"op", "args"})
        args = raw.get("args")
        if not isinstance(args, list) or len(args) < 2:
            raise _fail([*loc, "args"], f"'{op}' needs a list 'args' of at least two nodes")
        nodes = tuple(_read(arg, agenda, [*loc, "args", i]) for i, arg in enumerate(args))
        return And(nodes) if op == "and" else Or(nodes)
    if op == "not":
        _only(raw, loc, {"op", "arg"})
        if "arg" not in raw:
            raise _fail([*loc, "arg"], "'not' needs an 'arg'")
        return Not(_read(raw["arg"], agenda, [*loc, "arg"]))
    if op == "implies":
        _only(raw, loc, {"op", "if", "then"})
        for part in ("if", "then"):
            if part not in raw:
                raise _fail([*loc, part], f"'implies' needs '{part}'")
        return Implies(
            _read(raw["if"], agenda, [*loc, "if"]), _read(raw["then"], agenda, [*loc, "then"])
        )
    raise _fail([*loc, "op"], f"unknown op {op!r}", _ALL_OPS)


def _only(raw: Mapping[str, Any], loc: Loc, allowed: set[str]) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise _fail(
            [*loc, extra[0]], f"unexpected field '{extra[0]}' for op '{raw['op']}'", sorted(allowed)
        )


def _issue_key(raw: Mapping[str, Any], loc: Loc) -> str:
    key = raw.get("issue")
    if not isinstance(key, str):
        raise _fail([*loc, "issue"], "a test needs an 'issue' key (a string)")
    return key


def _guard(build: Callable[[], Node], loc: Loc, value_field: str) -> Node:
    try:
        return build()
    except Problem as problem:
        where: Loc
        if problem.part in ("issue", "op"):
            where = [*loc, str(problem.part)]
        elif isinstance(problem.part, int):
            where = [*loc, "values", problem.part]
        else:
            where = [*loc, value_field]
        raise _fail(where, problem.message, problem.expected) from None
