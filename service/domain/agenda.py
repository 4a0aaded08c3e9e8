"""The agenda: the issues on the table, their domains, and packages of values for them."""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from operator import contains
from typing import Any, TypeAlias

from service.domain.errors import InvalidInput

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Words of the red-line language; an issue or option named like one could not be written in it.
RESERVED_WORDS = frozenset({"and", "or", "not", "in", "true", "false"})
INTEGER_BOUND = 2**31 - 1
MAX_OPTIONS = 256
# Problems of one package described in an error; the rest are counted.
MAX_LISTED_PROBLEMS = 10
# The longest text an error echoes back.
ECHO_LENGTH = 80

Value: TypeAlias = str | int | bool
Package: TypeAlias = Mapping[str, Value]


class IssueKind(StrEnum):
    """The three kinds of issue an agenda can hold."""

    OPTIONS = "options"
    INTEGER = "integer"
    BOOLEAN = "boolean"


@dataclass(frozen=True, slots=True)
class Issue:
    """One issue of the agenda with its domain of values.

    Options are ordered: comparisons between option values use their position.
    """

    key: str
    title: str
    kind: IssueKind
    options: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int = 1
    description: str = ""
    option_descriptions: Mapping[str, str] = field(default_factory=dict)
    _option_set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_option_set", frozenset(self.options))

    @property
    def size(self) -> int:
        """Return the number of values in the domain."""
        if self.kind is IssueKind.OPTIONS:
            return len(self.options)
        if self.kind is IssueKind.INTEGER:
            return self.maximum - self.minimum + 1
        return 2

    def contains(self, value: object) -> bool:
        """Say whether ``value`` is in the domain (types are strict: ``1`` is not ``true``)."""
        if self.kind is IssueKind.OPTIONS:
            return type(value) is str and value in self._option_set
        if self.kind is IssueKind.INTEGER:
            return type(value) is int and self.minimum <= value <= self.maximum
        return type(value) is bool

    def position(self, value: Value) -> int:
        """Return the ordinal of an in-domain value: option index, the integer, or 0/1."""
        if self.kind is IssueKind.OPTIONS:
            return self.options.index(str(value))
        return int(value)

    def values(self) -> Iterator[Value]:
        """Enumerate the domain in order (false before true for a boolean)."""
        if self.kind is IssueKind.OPTIONS:
            yield from self.options
        elif self.kind is IssueKind.INTEGER:
            yield from range(self.minimum, self.maximum + 1)
        else:
            yield False
            yield True

    def domain(self) -> dict[str, Any]:
        """Describe the domain as JSON, for error details and documents."""
        if self.kind is IssueKind.OPTIONS:
            return {"kind": "options", "options": list(self.options)}
        if self.kind is IssueKind.INTEGER:
            return {"kind": "integer", "min": self.minimum, "max": self.maximum}
        return {"kind": "boolean", "values": [True, False]}

    def describe_domain(self) -> str:
        """Describe the domain in words, for error messages."""
        if self.kind is IssueKind.OPTIONS:
            return "one of " + ", ".join(self.options)
        if self.kind is IssueKind.INTEGER:
            return f"an integer from {self.minimum} to {self.maximum}"
        return "true or false"

    def spec(self) -> dict[str, Any]:
        """Return the issue as its JSON specification (the form it was created from)."""
        out: dict[str, Any] = {"key": self.key, "title": self.title, "kind": self.kind.value}
        if self.kind is IssueKind.OPTIONS:
            out["options"] = list(self.options)
        elif self.kind is IssueKind.INTEGER:
            out["min"] = self.minimum
            out["max"] = self.maximum
        out["description"] = self.description
        if self.option_descriptions:
            out["option_descriptions"] = dict(self.option_descriptions)
        return out


def format_value(value: Value) -> str:
    """Render a value as the red-line language writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Agenda:
    """The ordered issues of a summit."""

    issues: tuple[Issue, ...]
    _index: Mapping[str, Issue] = field(init=False, repr=False, compare=False)
    _types: tuple[type, ...] = field(init=False, repr=False, compare=False)
    _domains: tuple[Container[Value], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {issue.key: issue for issue in self.issues})
        # For the fast path of validate_package: exact value types, then C-level membership.
        kinds = {IssueKind.OPTIONS: str, IssueKind.INTEGER: int, IssueKind.BOOLEAN: bool}
        object.__setattr__(self, "_types", tuple(kinds[issue.kind] for issue in self.issues))
        object.__setattr__(self, "_domains", tuple(_container(issue) for issue in self.issues))

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Return the issue keys in agenda order."""
        return tuple(issue.key for issue in self.issues)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def get(self, key: str) -> Issue | None:
        """Return the issue with this key, or None."""
        return self._index.get(key)

    def issue(self, key: str) -> Issue:
        """Return the issue with this key or raise an error naming the known keys."""
        found = self._index.get(key)
        if found is None:
            raise InvalidInput(
                f"unknown issue '{key}'; the agenda has: {', '.join(self.keys)}",
                details={"errors": [_unknown_issue_error(["issue"], key, self.keys)]},
            )
        return found

    def validate_package(
        self, raw: object, *, loc: Sequence[str | int] = ("package",)
    ) -> dict[str, Value]:
        """Check a package against the agenda and return it in agenda order.

        Every problem is reported at once, each naming the issue and its allowed domain.
        """
        if type(raw) is dict and len(raw) == len(self.issues):
            try:
                values = tuple(map(raw.__getitem__, self.keys))
            except KeyError:
                pass  # an unknown key: the full check below names it
            else:
                if tuple(map(type, values)) == self._types and all(
                    map(contains, self._domains, values)
                ):
                    return dict(zip(self.keys, values, strict=True))
        if not isinstance(raw, Mapping):
            raise InvalidInput(
                "a package is a JSON object from issue keys to values",
                details={"errors": [{"loc": list(loc), "message": "expected an object"}]},
            )
        errors: list[dict[str, Any]] = []
        total = 0
        for key, value in raw.items():
            issue = self._index.get(key) if isinstance(key, str) else None
            if issue is not None and issue.contains(value):
                continue
            total += 1
            if len(errors) >= MAX_LISTED_PROBLEMS:
                continue  # counted, not described: a huge package costs no huge answer
            if issue is None:
                errors.append(_unknown_issue_error([*loc, str(key)], str(key), self.keys))
            else:
                errors.append(
                    {
                        "loc": [*loc, key],
                        "message": f"{json.dumps(_shown(value))} is not a value of issue "
                        f"'{key}': expected {issue.describe_domain()}",
                        "issue": key,
                        "value": _shown(value),
                        "allowed": issue.domain(),
                    }
                )
        if errors:
            raise InvalidInput(_summarise(errors, total), details=_listed(errors, total))
        return {issue.key: raw[issue.key] for issue in self.issues if issue.key in raw}

    def specs(self) -> list[dict[str, Any]]:
        """Return every issue as its JSON specification."""
        return [issue.spec() for issue in self.issues]


def _container(issue: Issue) -> Container[Value]:
    if issue.kind is IssueKind.OPTIONS:
        return frozenset(issue.options)
    if issue.kind is IssueKind.INTEGER:
        return range(issue.minimum, issue.maximum + 1)
    return frozenset((False, True))


def _unknown_issue_error(loc: list[str | int], key: str, known: Sequence[str]) -> dict[str, Any]:
    key = _shown(key)
    return {
        "loc": [*loc[:-1], key] if loc else loc,
        "message": f"unknown issue '{key}'",
        "issue": key,
        "allowed": list(known),
    }


def _shown(value: Any) -> Any:
    """Return a value as an error may echo it: long text cut short."""
    if isinstance(value, str) and len(value) > ECHO_LENGTH:
        return value[:ECHO_LENGTH] + "…"
    return value


def _summarise(errors: Sequence[Mapping[str, Any]], total: int | None = None) -> str:
    first = str(errors[0]["message"])
    count = len(errors) if total is None else total
    return first if count == 1 else f"{first} (and {count - 1} more problems)"


def _listed(errors: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """Return error details: the problems described, and how many there were in all."""
    if total <= len(errors):
        return {"errors": errors}
    return {"errors": errors, "total": total, "omitted": total - len(errors)}


def _check_key(errors: list[dict[str, Any]], loc: list[str | int], key: object, what: str) -> None:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        errors.append(
            {
                "loc": loc,
                "message": f"{what} {key!r} must match {KEY_PATTERN.pattern}",
                "allowed": KEY_PATTERN.pattern,
            }
        )
    elif key in RESERVED_WORDS:
        errors.append(
            {
                "loc": loc,
                "message": f"{what} '{key}' is a word of the red-line language",
                "allowed": f"any key but {', '.join(sorted(RESERVED_WORDS))}",
            }
        )


def build_agenda(specs: Sequence[Mapping[str, Any]]) -> Agenda:
    """Build an agenda from issue specifications, reporting every problem with its location.

    Each specification has ``key``, ``title``, ``kind`` and, by kind, ``options`` or
    ``min``/``max``; ``description`` and ``option_descriptions`` are optional.
    """
    errors: list[dict[str, Any]] = []
    issues: list[Issue] = []
    seen: set[str] = set()
    if not specs:
        errors.append({"loc": ["issues"], "message": "an agenda needs at least one issue"})
    for i, spec in enumerate(specs):
        loc: list[str | int] = ["issues", i]
        issue = _build_issue(spec, loc, errors)
        if issue is None:
            continue
        if issue.key in seen:
            errors.append({"loc": [*loc, "key"], "message": f"issue '{issue.key}' appears twice"})
        seen.add(issue.key)
        issues.append(issue)
    if errors:
        raise InvalidInput(_summarise(errors), details={"errors": errors})
    return Agenda(tuple(issues))


def _build_issue(
    spec: Mapping[str, Any], loc: list[str | int], errors: list[dict[str, Any]]
) -> Issue | None:
    count = len(errors)
    key = spec.get("key")
    _check_key(errors, [*loc, "key"], key, "issue key")
    kind_raw = spec.get("kind")
    try:
        kind = IssueKind(kind_raw if isinstance(kind_raw, str) else "")
    except ValueError:
        errors.append(
            {
                "loc": [*loc, "kind"],
                "message": f"issue kind {kind_raw!r} is not one of options, integer, boolean",
                "allowed": [k.value for k in IssueKind],
            }
        )
        return None
    options: tuple[str, ...] = ()
    minimum, maximum = 0, 1
    if kind is IssueKind.OPTIONS:
        options = _build_options(spec.get("options"), [*loc, "options"], errors)
    elif kind is IssueKind.INTEGER:
        minimum, maximum = _build_bounds(spec, loc, errors)
    descriptions = spec.get("option_descriptions") or {}
    for option in descriptions:
        if option not in options:
            errors.append(
                {
                    "loc": [*loc, "option_descriptions", option],
                    "message": f"'{option}' is not an option of this issue",
                    "allowed": list(options),
                }
            )
    if len(errors) > count:
        return None
    return Issue(
        key=str(key),
        title=str(spec.get("title") or key),
        kind=kind,
        options=options,
        minimum=minimum,
        maximum=maximum,
        description=str(spec.get("description") or ""),
        option_descriptions=dict(descriptions),
    )


def _build_options(
    raw: object, loc: list[str | int], errors: list[dict[str, Any]]
) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) < 2 or len(raw) > MAX_OPTIONS:
        errors.append(
            {
                "loc": loc,
                "message": f"an options issue needs a list of 2 to {MAX_OPTIONS} option keys",
            }
        )
        return ()
    for j, option in enumerate(raw):
        _check_key(errors, [*loc, j], option, "option key")
    if len(set(map(str, raw))) != len(raw):
        errors.append({"loc": loc, "message": "option keys must be distinct"})
    return tuple(str(option) for option in raw)


def _build_bounds(
    spec: Mapping[str, Any], loc: list[str | int], errors: list[dict[str, Any]]
) -> tuple[int, int]:
    bounds = []
    for name in ("min", "max"):
        value = spec.get(name)
        if type(value) is not int or abs(value) > INTEGER_BOUND:
            errors.append(
                {
                    "loc": [*loc, name],
                    "message": f"an integer issue needs an integer '{name}' "
                    f"within ±{INTEGER_BOUND}",
                }
            )
            return 0, 1
        bounds.append(value)
    if bounds[0] >= bounds[1]:
        errors.append({"loc": loc, "message": "an integer issue needs min < max"})
    return bounds[0], bounds[1]
