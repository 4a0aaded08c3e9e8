"""Request and response shapes of red lines, preferences, checks and concessions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from service.api.schemas.common import Constraint, Model, PackageField, PackageIn, Timestamp, Value
from service.api.schemas.limits import MAX_ISSUES, FiniteFloat, Key
from service.domain.checker import Status, Verdict
from service.domain.concessions import ConcessionKind
from service.domain.redline.red_line import RedLineStatus, Visibility


class RelaxAfter(Model):
    """A red line its party may relax from a round on."""

    after_round: int = Field(ge=1, description="The first round in which it may be relaxed.")


RelaxRuleField = Field(
    default=None,
    description='When the red line may be relaxed: `"never"`, `{"after_round": N}` '
    "(from round N on), or absent (any time). Relaxing against the rule is a 409.",
    examples=[{"after_round": 3}, "never"],
)


class RedLineCreate(Model):
    """A red line in its text form (``expr``) or tree form (``constraint``)."""

    label: str = Field(min_length=1, max_length=200, examples=["No forced exit of the president"])
    expr: str | None = Field(
        default=None,
        description="The red-line language of API.md, e.g. `assad_role != exit_at_signing`.",
        examples=["assad_role != exit_at_signing"],
    )
    constraint: Any = Field(
        default=None, description="The parsed tree; if sent with expr, both must agree."
    )
    visibility: Visibility = Field(
        default=Visibility.PRIVATE,
        description="Private red lines are seen only by their party and the convener.",
    )
    rationale: str = Field(default="", max_length=4000)
    relax: Literal["never"] | RelaxAfter | None = RelaxRuleField


class RedLineRead(BaseModel):
    """A red line; label, expr, constraint and rationale are absent when hidden from the caller."""

    id: int
    party: str
    visibility: Visibility
    status: RedLineStatus
    label: str | None = None
    expr: str | None = None
    constraint: Constraint | None = None
    rationale: str | None = None
    issues: list[str] | None = None
    declared_round: int | None = None
    relax_note: str | None = None
    relax: Literal["never"] | RelaxAfter | None = Field(
        default=None,
        description='The relaxation rule, for callers who may see the red line: `"never"` or '
        '`{"after_round": N}`; absent when it may be relaxed any time.',
    )


class RelaxRequest(Model):
    """A note on why the red line is relaxed."""

    note: str = Field(default="", max_length=4000)


class PreferencesDoc(Model):
    """A linear additive utility."""

    weights: dict[str, FiniteFloat] = Field(
        max_length=MAX_ISSUES, description="Issue weights, normalised to sum 1."
    )
    scores: dict[str, Any] = Field(
        max_length=MAX_ISSUES,
        description="Per issue: option (or true/false) scores in [0,1], or [[value, score], ...] "
        "points for an integer issue.",
    )
    reservation: FiniteFloat = Field(
        default=0.0, description="The utility below which no deal beats none."
    )


class PreferencesRead(BaseModel):
    """A party's preferences."""

    party: str
    weights: dict[str, float]
    scores: dict[str, Any]
    reservation: float
    normalised_weights: dict[str, float]
    updated_at: Timestamp


class CheckRequest(Model):
    """A package to check."""

    package: PackageIn = PackageField


class CheckEntry(BaseModel):
    """One red line's status; label, expr and explanation only when the caller may see them."""

    id: int
    party: str
    visibility: Visibility
    status: Status
    label: str | None = None
    expr: str | None = None
    issues: list[str] | None = None
    explanation: str | None = None


class CheckReport(BaseModel):
    """A package against every active red line of every party."""

    complete: bool
    verdict: Verdict
    counts: dict[str, int]
    red_lines: list[CheckEntry]
    hidden: int = Field(
        default=0,
        description="How many red lines were checked but not shown: for an anonymous caller, "
        "the private ones (verdict and counts then cover the public red lines alone); 0 for "
        "everyone else.",
    )


class CheckCounts(BaseModel):
    """How many checks each delegation made (counted by the answering worker)."""

    parties: dict[str, int] = Field(description="Every party, with its checks.")
    convener: int
    anonymous: int = Field(description="Checks made without a token.")
    since: str = Field(description="When this worker started counting.")


class ConcessionCreate(Model):
    """An explicit concession on one issue."""

    issue: Key
    from_: Any = Field(alias="from")
    to: Any
    note: str = Field(default="", max_length=4000)


class ConcessionRead(BaseModel):
    """An entry of the concession ledger; utility_change only for its party and the convener."""

    id: int
    kind: ConcessionKind
    party: str
    round: int | None
    issue: str | None = None
    from_: Value | None = Field(default=None, alias="from", serialization_alias="from")
    to: Value | None = None
    red_line: int | None = None
    proposal: int | None = None
    utility_change: float | None = None
    visibility: Visibility | None = None
    note: str | None = None
    created_at: Timestamp
