"""The written form of the language: lark parses text into the tree; render() writes it back."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from service.domain.agenda import Agenda, IssueKind, format_value
from service.domain.errors import InvalidInput
from service.domain.redline.nodes import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT_LENGTH,
    And,
    Compare,
    Implies,
    Member,
    Node,
    Not,
    Or,
    size_of,
)
from service.domain.redline.validate import SYMBOLS, Problem, make_compare, make_member

_OPS = {symbol: op for op, symbol in SYMBOLS.items()}
_TERMINAL_WORDS = {
    "ISSUE": "an issue or option key",
    "INT": "an integer",
    "TRUE": "true",
    "FALSE": "false",
    "CMP": "a comparison (==, !=, <, <=, >, >=)",
    "IMPLIES": "'->'",
    "OR": "'or'",
    "AND": "'and'",
    "NOT": "'not'",
    "IN": "'in'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "$END": "the end of the expression",
}
# Precedence of each construct when written; a child looser than its slot gets parentheses.
_IMPLIES, _OR, _AND, _NOT, _TEST = 1, 2, 3, 4, 5


@cache
def _parser() -> Lark:
    grammar = files("service.domain.redline").joinpath("grammar.lark").read_text()
    # The basic lexer makes keywords reserved everywhere ("and and" is a syntax error, not an
    # issue named "and"); issue and option keys may not be keywords anyway.
    return Lark(grammar, parser="lalr", lexer="basic", maybe_placeholders=False)


def parse_expr(text: str, agenda: Agenda, *, field: str = "expr") -> Node:
    """Parse a red line's text into its tree, checking every issue and value against the agenda.

    Errors are InvalidInput with the line, column and offset of the offending token and what
    was expected there.
    """
    if not isinstance(text, str) or not text.strip():
        message = "the expression is empty"
        raise InvalidInput(message, details={"errors": [{"loc": [field], "message": message}]})
    if len(text) > MAX_TEXT_LENGTH:
        message = f"the expression is longer than {MAX_TEXT_LENGTH} characters"
        raise InvalidInput(message, details={"errors": [{"loc": [field], "message": message}]})
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(error, text, field) from None
    _check_depth(tree, field)
    node = _convert(tree, agenda, text, field)
    if size_of(node) > MAX_NODES:
        message = f"the expression has more than {MAX_NODES} parts (tests, operators, values)"
        raise InvalidInput(message, details={"errors": [{"loc": [field], "message": message}]})
    return node


def _syntax_error(error: UnexpectedInput, text: str, field: str) -> InvalidInput:
    if isinstance(error, UnexpectedCharacters):
        found = repr(text[error.pos_in_stream or 0])
        expected = _describe(frozenset(error.allowed or ()))
    elif isinstance(error, UnexpectedEOF):
        found = "the end of the expression"
        expected = _describe(frozenset(str(t) for t in error.expected))
    elif isinstance(error, UnexpectedToken):
        token = error.token
        found = "the end of the expression" if token.type == "$END" else repr(str(token))
        # 'accepts' also lists keywords the lexer folds into ISSUE, such as 'not'.
        expected = _describe(frozenset(error.accepts or error.expected))
    else:  # pragma: no cover - lark raises only the three kinds above
        found, expected = "?", []
    line, column = max(error.line, 1), max(error.column, 1)
    offset = error.pos_in_stream if error.pos_in_stream is not None else len(text)
    message = (
        f"syntax error at line {line}, column {column}: found {found}, expected {_join(expected)}"
    )
    return InvalidInput(
        message,
        details={
            "errors": [
                {
                    "loc": [field],
                    "message": message,
                    "line": line,
                    "column": column,
                    "offset": offset,
                    "found": found,
                    "expected": expected,
                    "context": error.get_context(text).rstrip("\n"),
                }
            ]
        },
    )


_VALUE_TERMINALS = frozenset({"ISSUE", "INT", "TRUE", "FALSE"})


def _describe(terminals: set[str] | frozenset[str]) -> list[str]:
    if terminals >= _VALUE_TERMINALS:
        rest = _describe(frozenset(terminals) - _VALUE_TERMINALS)
        return ["a value (an option key, an integer, true or false)", *rest]
    words = {_TERMINAL_WORDS.get(name, name) for name in terminals if not name.startswith("__")}
    return sorted(words)


def _join(words: list[str]) -> str:
    if not words:
        return "nothing more"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _check_depth(tree: Tree[Token], field: str) -> None:
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            message = f"the expression nests deeper than {MAX_DEPTH} levels"
            raise InvalidInput(message, details={"errors": [{"loc": [field], "message": message}]})
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


def _convert(tree: Tree[Token], agenda: Agenda, text: str, field: str) -> Node:
    kind = tree.data
    subtrees = [child for child in tree.children if isinstance(child, Tree)]
    tokens = [child for child in tree.children if isinstance(child, Token)]
    if kind == "implies":
        return Implies(
            _convert(subtrees[0], agenda, text, field), _convert(subtrees[1], agenda, text, field)
        )
    if kind in ("or_", "and_"):
        args = tuple(_convert(sub, agenda, text, field) for sub in subtrees)
        return Or(args) if kind == "or_" else And(args)
    if kind == "not_":
        return Not(_convert(subtrees[0], agenda, text, field))
    issue_token = tokens[0]
    try:
        if kind == "compare":
            value_token = tokens[2]
            return make_compare(agenda, _OPS[str(tokens[1])], str(issue_token), _value(value_token))
        if kind in ("member_in", "member_not_in"):
            values = [t for t in tokens if t.type in ("ISSUE", "INT", "TRUE", "FALSE")][1:]
            op = "in" if kind == "member_in" else "not_in"
            return make_member(agenda, op, str(issue_token), [_value(t) for t in values])
        issue = agenda.get(str(issue_token))
        if issue is not None and issue.kind is not IssueKind.BOOLEAN:
            example = f"{issue.key} == {format_value(next(issue.values()))}"
            raise Problem(
                f"issue '{issue.key}' is not boolean: a bare issue is a test only for a "
                f"boolean issue; write a comparison such as {example}",
                "a boolean issue, or a comparison",
                "issue",
            )
        return make_compare(agenda, "eq", str(issue_token), True)
    except Problem as problem:
        blamed = _blame(problem, tokens)
        raise _domain_error(problem, blamed, text, field) from None


def _value(token: Token) -> object:
    if token.type == "INT":
        return int(str(token))
    if token.type in ("TRUE", "FALSE"):
        return token.type == "TRUE"
    return str(token)


def _blame(problem: Problem, tokens: list[Token]) -> Token:
    values = [t for t in tokens if t.type in ("ISSUE", "INT", "TRUE", "FALSE")][1:]
    if problem.part == "issue":
        return tokens[0]
    if problem.part == "op":
        return tokens[1]
    if isinstance(problem.part, int) and problem.part < len(values):
        return values[problem.part]
    return values[0] if values else tokens[0]


def _domain_error(problem: Problem, token: Token, text: str, field: str) -> InvalidInput:
    line, column = token.line or 1, token.column or 1
    message = f"{problem.message} at line {line}, column {column}"
    expected = problem.expected if isinstance(problem.expected, list) else [problem.expected]
    return InvalidInput(
        message,
        details={
            "errors": [
                {
                    "loc": [field],
                    "message": message,
                    "line": line,
                    "column": column,
                    "offset": token.start_pos,
                    "found": str(token),
                    "expected": expected,
                    "context": _context(text, token),
                }
            ]
        },
    )


def _context(text: str, token: Token) -> str:
    start = text.rfind("\n", 0, token.start_pos or 0) + 1
    end = text.find("\n", token.start_pos or 0)
    line = text[start : end if end != -1 else len(text)]
    return line + "\n" + " " * ((token.start_pos or 0) - start) + "^"


def render(node: Node) -> str:
    """Write a tree as canonical text; parsing that text gives the same tree back."""
    return _render(node)


def _precedence(node: Node) -> int:
    if isinstance(node, Implies):
        return _IMPLIES
    if isinstance(node, Or):
        return _OR
    if isinstance(node, And):
        return _AND
    if isinstance(node, Not):
        return _NOT
    return _TEST


def _slot(node: Node, minimum: int) -> str:
    text = _render(node)
    return f"({text})" if _precedence(node) < minimum else text


def _render(node: Node) -> str:
    if isinstance(node, Compare):
        if node.op == "eq" and node.value is True:
            return node.issue
        return f"{node.issue} {SYMBOLS[node.op]} {format_value(node.value)}"
    if isinstance(node, Member):
        op = "in" if node.op == "in" else "not in"
        return f"{node.issue} {op} {{{', '.join(format_value(v) for v in node.values)}}}"
    if isinstance(node, Not):
        return f"not {_slot(node.arg, _NOT)}"
    if isinstance(node, And):
        return " and ".join(_slot(arg, _NOT) for arg in node.args)
    if isinstance(node, Or):
        return " or ".join(_slot(arg, _AND) for arg in node.args)
    return f"{_slot(node.if_, _OR)} -> {_slot(node.then, _IMPLIES)}"
