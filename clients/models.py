"""Typed views of the service's JSON (API.md's shapes).

Unknown fields are kept, not refused, so a newer server does not break an older client.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Value = str | int | bool
Package = dict[str, Value]


class Model(BaseModel):
    """Base of the client's models."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class Party(Model):
    """A delegation at the table."""

    key: str
    name: str


class RoundPosition(Model):
    """Where the current round stands."""

    number: int
    phase: str
    deadline: str | None = None
    waiting_for: list[str] | None = None


class Summit(Model):
    """A summit."""

    id: str
    title: str
    status: Literal["setup", "open", "concluded"]
    outcome: str | None = None
    settlement: Package | None = None
    settlement_proposal: int | None = None
    issues: list[dict[str, Any]]
    parties: list[Party]
    protocol: dict[str, Any]
    round: RoundPosition | None = None
    rounds_played: int = 0
    events: int = 0


class SummitSummary(Model):
    """A summit in a listing."""

    id: str
    title: str
    status: str
    outcome: str | None = None
    created_at: str | None = None


class Tokens(Model):
    """Bearer tokens returned once by summit creation."""

    convener: str
    parties: dict[str, str]


class SummitCreated(Model):
    """A new summit with its tokens."""

    summit: Summit
    tokens: Tokens


class RedLine(Model):
    """A red line; label, expr, constraint and rationale are absent when hidden."""

    id: int
    party: str
    visibility: str
    status: str
    label: str | None = None
    expr: str | None = None
    constraint: dict[str, Any] | None = None
    rationale: str | None = None
    issues: list[str] | None = None
    declared_round: int | None = None
    relax_note: str | None = None
    # "never", {"after_round": N}, or None (any time); absent for a hidden red line.
    relax: str | dict[str, int] | None = None


class CheckEntry(Model):
    """One red line in a check report."""

    id: int
    party: str
    visibility: str
    status: Literal["satisfied", "violated", "undetermined"]
    label: str | None = None
    expr: str | None = None
    explanation: str | None = None


class CheckReport(Model):
    """A package against every active red line."""

    complete: bool
    verdict: Literal["clear", "violations", "undetermined"]
    counts: dict[str, int] = Field(default_factory=dict)
    red_lines: list[CheckEntry]


class Proposal(Model):
    """A proposal; only ``sealed`` is set while its proposals phase runs, for others."""

    id: int
    round: int
    party: str | None
    sealed: bool | None = None
    package: Package | None = None
    complete: bool | None = None
    rationale: str | None = None
    check: CheckReport | None = None


class Response(Model):
    """An answer to a proposal."""

    proposal: int
    party: str
    verdict: Literal["accept", "reject"]
    note: str = ""
    defaulted: bool = False
    round: int


class Pass(Model):
    """A pass in a proposals phase."""

    party: str | None
    round: int


class Concession(Model):
    """An entry of the concession ledger."""

    id: int
    kind: Literal["explicit", "derived", "red_line"]
    party: str
    round: int | None
    issue: str | None = None
    from_: Any = Field(default=None, alias="from")
    to: Any = None
    red_line: int | None = None
    proposal: int | None = None
    utility_change: float | None = None
    note: str | None = None


class Round(Model):
    """A round: phase, proposals, passes, responses, concessions."""

    number: int
    phase: str
    deadline: str | None = None
    waiting_for: list[str] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)
    passes: list[Pass] = Field(default_factory=list)
    responses: list[Response] = Field(default_factory=list)
    concessions: list[Concession] = Field(default_factory=list)
    settled_by: int | None = None


class Event(Model):
    """An event of the hash-chained log."""

    seq: int
    at: str
    type: str
    actor: str
    data: dict[str, Any]
    hash: str


class Verification(Model):
    """The outcome of recomputing the hash chain."""

    valid: bool
    events: int
    first_bad_seq: int | None
    head: str


class Preferences(Model):
    """A party's preferences (as the party or the convener reads them)."""

    party: str
    weights: dict[str, float]
    scores: dict[str, Any]
    reservation: float = 0.0
    normalised_weights: dict[str, float] = Field(default_factory=dict)


class LedgerEntry(Model):
    """A party's concessions."""

    count: int
    concessions: list[Concession]


class History(Model):
    """The whole record of a summit."""

    summit: Summit
    rounds: list[Round]
    ledger: dict[str, LedgerEntry]
    record: dict[str, Any]


class ConflictSet(Model):
    """Red lines no package satisfies together (others' private ones redacted)."""

    red_lines: list[RedLine]


class Conflicts(Model):
    """Whether every active red line can hold together, and what blocks it."""

    feasible: bool | None
    conflicts: list[ConflictSet]
    witness: Package | None = None
    exhaustive: bool = False
    timed_out: bool = False
    seconds: float = 0.0
    cached: bool = False


class Repair(Model):
    """The nearest package that breaks no active red line."""

    package: Package
    changed: list[str]
    check: CheckReport
    status: Literal["optimal", "feasible"]
    seconds: float = 0.0
    cached: bool = False


class Suggestion(Model):
    """A mediator's package with every party's utility."""

    package: Package
    utilities: dict[str, float]
    objective: str
    value: float
    pareto_optimal: bool | None
    status: Literal["optimal", "feasible"]
    bound: float | None = None
    gap: float | None = None


class Suggestions(Model):
    """Mediator suggestions for one objective, best first."""

    objective: str
    parties: list[str]
    floors: dict[str, float] = Field(default_factory=dict)
    suggestions: list[Suggestion]
    reason: str | None = None
    timed_out: bool = False
    seconds: float = 0.0
    cached: bool = False


class FrontierPoint(Model):
    """A package on two parties' Pareto frontier."""

    package: Package
    utilities: dict[str, float]


class Frontier(Model):
    """Two parties' Pareto frontier, from the first's best to the second's."""

    parties: list[str]
    points: list[FrontierPoint]
    complete: bool
    timed_out: bool = False
    seconds: float = 0.0
    cached: bool = False
