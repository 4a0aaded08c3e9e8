"""Request shapes of red lines, preferences, checks and concessions.

Their answers are the types of ``service.services.results``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from service.api.schemas.common import Model, PackageField, PackageIn
from service.api.schemas.limits import MAX_ISSUES, FiniteFloat, Key
from service.domain.checker import Visibility


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


class CheckRequest(Model):
    """A package to check."""

    package: PackageIn = PackageField


class ConcessionCreate(Model):
    """An explicit concession on one issue."""

    issue: Key
    from_: Any = Field(alias="from")
    to: Any
    note: str = Field(default="", max_length=4000)
