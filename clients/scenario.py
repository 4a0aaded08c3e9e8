"""Scenario files: a whole summit (agenda, parties, red lines, preferences, strategies) in YAML.

Built-in scenarios ship in ``clients/scenarios/``; a user's own file works the same way.
``load_scenario`` validates a file against the schema below and reports every problem with
its location in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clients.validation import Locator, Problem, scenario_problems

KEY = r"^[a-z][a-z0-9_]{0,62}$"


class ScenarioError(Exception):
    """A scenario file that cannot be used, with every problem located in the file.

    ``missing`` says that there is no such file or built-in scenario at all.
    """

    def __init__(
        self, source: str, problems: Sequence[Problem | str], *, missing: bool = False
    ) -> None:
        located = [p if isinstance(p, Problem) else Problem((), p) for p in problems]
        super().__init__("; ".join(problem.located(source) for problem in located))
        self.source = source
        self.problems = located
        self.missing = missing

    def lines(self) -> list[str]:
        """Return one line per problem: ``file:line:column: place: what is wrong``."""
        return [problem.located(self.source) for problem in self.problems]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class IssueSpec(_Strict):
    """An issue of the agenda, as API.md describes it, with descriptions for readers."""

    key: str = Field(pattern=KEY)
    title: str
    kind: Literal["options", "integer", "boolean"]
    description: str = ""
    options: list[str] | None = None
    option_descriptions: dict[str, str] | None = None
    min: int | None = None
    max: int | None = None

    @model_validator(mode="after")
    def _domain(self) -> IssueSpec:
        if self.kind == "options":
            if not self.options or len(self.options) < 2:
                raise ValueError("an options issue lists at least two options")
            unknown = set(self.option_descriptions or {}) - set(self.options)
            if unknown:
                raise ValueError(f"descriptions for unknown options: {sorted(unknown)}")
        elif self.kind == "integer" and (
            self.min is None or self.max is None or self.min >= self.max
        ):
            raise ValueError("an integer issue needs min < max")
        return self

    def values(self) -> list[Any]:
        """Every value of the issue, in order."""
        if self.kind == "options":
            return list(self.options or [])
        if self.kind == "integer":
            assert self.min is not None
            assert self.max is not None
            return list(range(self.min, self.max + 1))
        return [False, True]

    def api(self) -> dict[str, Any]:
        """Return the issue as POST /summits takes it."""
        return self.model_dump(exclude_none=True)


class RelaxPolicy(_Strict):
    """When a delegation's strategy may relax this red line (a concession)."""

    after_round: int = Field(ge=1, description="Relax from this round on, if still active.")
    note: str = ""


class RedLineSpec(_Strict):
    """A red line the party declares before the summit starts."""

    label: str = Field(min_length=1, max_length=200)
    expr: str
    visibility: Literal["public", "private"] = "private"
    rationale: str = ""
    basis: str = Field(default="", description="What the red line is grounded in (a source).")
    relax: RelaxPolicy | None = None

    def relax_rule(self) -> str | dict[str, int]:
        """Return the relaxation rule as the server takes it: never, or from a round on."""
        return "never" if self.relax is None else {"after_round": self.relax.after_round}

    def api(self) -> dict[str, Any]:
        """Return the red line as POST /summits/{id}/parties/{party}/red-lines takes it."""
        return {
            "label": self.label,
            "expr": self.expr,
            "visibility": self.visibility,
            "rationale": self.rationale,
            "relax": self.relax_rule(),
        }


class PreferencesSpec(_Strict):
    """A linear additive utility (API.md's preferences document)."""

    weights: dict[str, float]
    scores: dict[str, Any]
    reservation: float = 0.0


class PartySpec(_Strict):
    """A delegation: who it is, what it will not sign away, what it wants, how it plays."""

    key: str = Field(pattern=KEY)
    name: str
    description: str = ""
    strategy: str = "boulware"
    strategy_options: dict[str, Any] = Field(default_factory=dict)
    red_lines: list[RedLineSpec] = Field(default_factory=list)
    preferences: PreferencesSpec | None = None


class ProtocolSpec(_Strict):
    """How the summit's rounds run."""

    max_rounds: int = Field(ge=1, le=1000)
    phase_seconds: float | None = None
    mediated: bool = False


class Scenario(_Strict):
    """A whole summit, ready to be played."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    title: str
    summary: str = ""
    protocol: ProtocolSpec
    issues: list[IssueSpec] = Field(min_length=1)
    parties: list[PartySpec] = Field(min_length=2)
    notes: str = Field(default="", description="Sources and what each red line is based on.")

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        problems = []
        keys = [issue.key for issue in self.issues]
        if len(set(keys)) != len(keys):
            problems.append("issue keys must be distinct")
        parties = [party.key for party in self.parties]
        if len(set(parties)) != len(parties):
            problems.append("party keys must be distinct")
        for party in self.parties:
            labels = [red_line.label for red_line in party.red_lines]
            if len(set(labels)) != len(labels):
                problems.append(f"party {party.key}: red-line labels must be distinct")
        # (Preferences naming unknown issues are found, with their place, by scenario_problems.)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def issue(self, key: str) -> IssueSpec:
        """Return an issue by key."""
        return next(issue for issue in self.issues if issue.key == key)

    def party(self, key: str) -> PartySpec:
        """Return a party by key."""
        for party in self.parties:
            if party.key == key:
                return party
        raise KeyError(f"scenario {self.name} has no party {key!r}")

    def summit_body(
        self,
        *,
        max_rounds: int | None = None,
        phase_seconds: float | None = None,
        mediated: bool | None = None,
    ) -> dict[str, Any]:
        """Return the body of POST /summits for this scenario."""
        protocol = self.protocol.model_dump()
        if max_rounds is not None:
            protocol["max_rounds"] = max_rounds
        if phase_seconds is not None:
            protocol["phase_seconds"] = phase_seconds
        if mediated is not None:
            protocol["mediated"] = mediated
        return {
            "title": self.title,
            "issues": [issue.api() for issue in self.issues],
            "parties": [{"key": party.key, "name": party.name} for party in self.parties],
            "protocol": protocol,
        }


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Parley."""
    folder = files("clients.scenarios")
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def load_scenario(name_or_path: str) -> Scenario:
    """Load a built-in scenario by name, or a scenario file by path, and validate it."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise ScenarioError(name_or_path, ["no such file"], missing=True)
        return parse_scenario(path.read_text(encoding="utf-8"), str(path))
    if name_or_path not in builtin_names():
        known = ", ".join(builtin_names())
        raise ScenarioError(
            name_or_path,
            [f"no built-in scenario of that name and no such file (built in: {known})"],
            missing=True,
        )
    text = files("clients.scenarios").joinpath(f"{name_or_path}.yaml").read_text(encoding="utf-8")
    return parse_scenario(text, f"{name_or_path} (built in)")


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Validate a scenario document completely, naming the place of every problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        why = f"not valid YAML ({getattr(error, 'problem', None) or error})"
        raise ScenarioError(source, [Problem((), why, line, column)]) from None
    where = Locator(text)
    if not isinstance(raw, dict):
        raise ScenarioError(source, [where.problem((), "a scenario is a YAML mapping")])
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as error:
        problems = [where.problem(tuple(item["loc"]), _allowed(item)) for item in error.errors()]
        raise ScenarioError(source, problems) from None
    found = scenario_problems(scenario, where)
    if found:
        raise ScenarioError(source, found)
    return scenario


def _allowed(item: Any) -> str:
    """Say what pydantic found wrong, with what is allowed where it knows."""
    message = str(item["msg"])
    context = item.get("ctx") or {}
    if item["type"] == "literal_error" and "expected" in context:
        return f"{item.get('input')!r} is not allowed here; use {context['expected']}"
    if item["type"] == "extra_forbidden":
        return f"unknown field {item['loc'][-1]!r} (a typo?)"
    return message.removeprefix("Value error, ")
