"""Where a problem sits in a YAML file, and the checks of a scenario beyond its schema.

A scenario is checked completely before any server starts: its red lines are read against
its agenda, its strategies and relaxation rules against what exists, its preferences
against its issues' values. Each problem carries its place (a path of keys and indexes) and,
when the file is at hand, its line and column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from clients.redline import ExprError, parse_expr

if TYPE_CHECKING:
    from clients.scenario import PartySpec, Scenario
    from clients.script import Move, Script

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (path, line, column) and what, with what is allowed."""

    loc: Loc
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.loc)
        return f"{where}: {self.message}" if where else self.message

    def located(self, source: str) -> str:
        """Return the problem as ``file:line:column: place: message`` (as compilers do)."""
        place = f"{source}:{self.line}:{self.column}" if self.line is not None else source
        return f"{place}: {self}"


class Locator:
    """Find the line and column of a path of keys and indexes in a YAML document."""

    def __init__(self, text: str) -> None:
        try:
            self.root: yaml.Node | None = yaml.compose(text)
        except yaml.YAMLError:
            self.root = None

    def node(self, loc: Loc) -> tuple[yaml.Node | None, bool]:
        """Return the deepest node on the path, and whether the whole path was found."""
        node = self.root
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if k.value == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                child = node.value[part] if 0 <= part < len(node.value) else None
            if child is None:
                return node, False
            node = child
        return node, True

    def place(self, loc: Loc, offset: int | None = None) -> tuple[int | None, int | None]:
        """Return the 1-based line and column of ``loc`` (plus ``offset`` into a scalar)."""
        node, found = self.node(loc)
        if node is None:
            return None, None
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if found and offset is not None and isinstance(node, yaml.ScalarNode):
            single_line = node.start_mark.line == node.end_mark.line
            if single_line:
                column += offset + (1 if node.style in ("'", '"') else 0)
        return line, column

    def problem(self, loc: Loc, message: str, offset: int | None = None) -> Problem:
        """Build a located problem."""
        line, column = self.place(loc, offset)
        return Problem(loc, message, line, column)


def _issues(scenario: Scenario) -> dict[str, dict[str, Any]]:
    return {issue.key: issue.api() for issue in scenario.issues}


def scenario_problems(scenario: Scenario, where: Locator) -> list[Problem]:
    """Return everything wrong with a scenario that its schema cannot see."""
    from clients.strategies import STRATEGIES

    issues = _issues(scenario)
    playable = sorted(name for name in STRATEGIES if name != "scripted")
    problems: list[Problem] = []
    for p, party in enumerate(scenario.parties):
        base: Loc = ("parties", p)
        if party.strategy not in playable:
            problems.append(
                where.problem(
                    (*base, "strategy"),
                    f"unknown strategy {party.strategy!r}; use one of {', '.join(playable)} "
                    "(a script is given with --script)",
                )
            )
        if party.strategy in playable:
            kind = STRATEGIES[party.strategy]
            for key, value in party.strategy_options.items():
                message = _option_problem(kind.name, kind.OPTIONS, key, value)
                if message:
                    problems.append(where.problem((*base, "strategy_options", key), message))
        for r, red_line in enumerate(party.red_lines):
            at: Loc = (*base, "red_lines", r)
            try:
                parse_expr(red_line.expr, issues)
            except ExprError as error:
                problems.append(where.problem((*at, "expr"), str(error), error.offset))
            if red_line.relax and red_line.relax.after_round > scenario.protocol.max_rounds:
                problems.append(
                    where.problem(
                        (*at, "relax", "after_round"),
                        f"round {red_line.relax.after_round} never comes: the summit has "
                        f"{scenario.protocol.max_rounds} rounds (allowed: 1 to "
                        f"{scenario.protocol.max_rounds})",
                    )
                )
        if party.preferences is not None:
            for section in ("weights", "scores"):
                for key in getattr(party.preferences, section):
                    if key not in issues:
                        problems.append(
                            where.problem(
                                (*base, "preferences", section, key),
                                f"unknown issue {key!r}: use one of {', '.join(issues)}",
                            )
                        )
            for loc, message in _score_problems(party.preferences.scores, issues):
                problems.append(where.problem((*base, "preferences", "scores", *loc), message))
    return problems


def _option_problem(
    strategy: str, allowed: Mapping[str, type | tuple[str, ...]], key: str, value: Any
) -> str | None:
    """Say what is wrong with one strategy option, or None."""
    wanted = allowed.get(key)
    if wanted is None:
        return f"{strategy} has no option {key!r} (its options: {', '.join(sorted(allowed))})"
    if isinstance(wanted, tuple):
        ok = value in wanted
        what = " or ".join(wanted)
    elif wanted is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        what = "a number"
    elif wanted is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        what = "a whole number"
    else:
        ok = isinstance(value, wanted)
        what = "true or false"
    return None if ok else f"{key} is {what}, not {value!r}"


def _score_problems(
    scores: Mapping[str, Any], issues: Mapping[str, Mapping[str, Any]]
) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    for key, given in scores.items():
        issue = issues.get(key)
        if issue is None:
            continue  # reported as an unknown issue, with the known ones
        if issue["kind"] == "integer":
            found += _points_problems(key, given, issue)
            continue
        allowed = issue["options"] if issue["kind"] == "options" else ["true", "false"]
        if not isinstance(given, Mapping):
            found.append(((key,), f"scores of {key!r} map each of {', '.join(allowed)} to 0..1"))
            continue
        for value, score in given.items():
            name = str(value).lower() if isinstance(value, bool) else str(value)
            if name not in allowed:
                found.append(
                    ((key, value), f"{name!r} is not a value of {key!r}: {', '.join(allowed)}")
                )
            elif not isinstance(score, int | float) or not 0 <= score <= 1:
                found.append(((key, value), f"score {score!r} must lie in 0..1"))
    return found


def _points_problems(key: str, given: Any, issue: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    low, high = issue["min"], issue["max"]
    shape = f"points [[value, score], ...] with values in {low}..{high} and scores in 0..1"
    if not isinstance(given, Sequence) or isinstance(given, str) or not given:
        return [((key,), f"{key!r} is an integer issue: give {shape}")]
    found: list[tuple[Loc, str]] = []
    for index, point in enumerate(given):
        ok = (
            isinstance(point, Sequence)
            and len(point) == 2
            and isinstance(point[0], int)
            and low <= point[0] <= high
            and isinstance(point[1], int | float)
            and 0 <= point[1] <= 1
        )
        if not ok:
            found.append(((key, index), f"{point!r} is not a point: give {shape}"))
    return found


def script_problems(script: Script, scenario: Scenario) -> list[Problem]:
    """Return everything in a script that its scenario cannot play, located in the file."""
    where = Locator(script.text)
    issues = _issues(scenario)
    parties = {party.key: party for party in scenario.parties}
    authors = [*parties, "mediator"]
    problems: list[Problem] = []
    if script.scenario is not None and script.scenario != scenario.name:
        problems.append(
            where.problem(("scenario",), f"written for {script.scenario!r}, not {scenario.name!r}")
        )
    for r, scripted in enumerate(script.rounds):
        if scripted.round > scenario.protocol.max_rounds:
            problems.append(
                where.problem(
                    ("rounds", r, "round"),
                    f"round {scripted.round} never comes: the summit has "
                    f"{scenario.protocol.max_rounds} rounds",
                )
            )
        for m, move in enumerate(scripted.moves):
            at: Loc = ("rounds", r, "moves", m)
            party = parties.get(move.party)
            if party is None:
                problems.append(
                    where.problem(
                        (*at, "party"),
                        f"no party {move.party!r} in {scenario.name}: use one of "
                        + ", ".join(parties),
                    )
                )
                continue
            for field, message in _move_problems(move, party, scripted.round, issues, authors):
                problems.append(where.problem((*at, field), message))
    return problems


def _move_problems(
    move: Move,
    party: PartySpec,
    number: int,
    issues: Mapping[str, Mapping[str, Any]],
    authors: Sequence[str],
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if move.kind == "propose":
        for key, value in (move.propose or {}).items():
            message = _value_problem(issues, key, value)
            if message:
                found.append(("propose", message))
    elif move.kind == "relax":
        labels = {red_line.label: red_line for red_line in party.red_lines}
        red_line = labels.get(move.relax or "")
        if red_line is None:
            found.append(
                ("relax", f"{party.key} has no red line {move.relax!r}: its red lines are "
                 + "; ".join(repr(label) for label in labels))
            )  # fmt: skip
        elif red_line.relax is None:
            found.append(("relax", f"{party.key}'s red line {move.relax!r} is not relaxable"))
        elif number < red_line.relax.after_round:
            found.append(
                ("relax", f"{move.relax!r} may be relaxed from round "
                 f"{red_line.relax.after_round} on, not in round {number}")
            )  # fmt: skip
    elif move.kind == "concede":
        spec = move.concede or {}
        if set(spec) - {"note"} != {"issue", "from", "to"}:
            found.append(("concede", "a concession is {issue: KEY, from: VALUE, to: VALUE}"))
        else:
            for value in (spec["from"], spec["to"]):
                message = _value_problem(issues, str(spec["issue"]), value)
                if message:
                    found.append(("concede", message))
                    break
    elif move.kind in ("accept", "reject"):
        author = move.accept or move.reject
        if author not in authors:
            found.append(
                (move.kind, f"no proposal author {author!r}: use one of {', '.join(authors)}")
            )
        elif author == party.key:
            found.append((move.kind, "a party does not answer its own proposal"))
    return found


def _value_problem(issues: Mapping[str, Mapping[str, Any]], key: str, value: Any) -> str | None:
    issue = issues.get(key)
    if issue is None:
        return f"unknown issue {key!r}: use one of {', '.join(issues)}"
    kind = issue["kind"]
    if kind == "options" and value not in issue["options"]:
        return f"{value!r} is not an option of {key!r}: {', '.join(issue['options'])}"
    if kind == "integer" and (type(value) is not int or not issue["min"] <= value <= issue["max"]):
        return f"{value!r} is not an integer from {issue['min']} to {issue['max']} ({key!r})"
    if kind == "boolean" and type(value) is not bool:
        return f"{value!r} is not true or false ({key!r})"
    return None
