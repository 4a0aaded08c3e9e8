"""Red lines, preferences and check counts as the services answer them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from service.domain.concessions import RelaxRule
from service.domain.privacy import Viewer
from service.domain.redline.nodes import issues_of
from service.domain.redline.red_line import RedLine, RedLineStatus, Visibility
from service.domain.redline.tree import node_to_json
from service.services.results.common import Constraint, Omittable, Timestamp

_CONSTRAINT: TypeAdapter[Any] = TypeAdapter(Constraint)


@dataclass(frozen=True)
class RelaxFrom:
    """A red line its party may relax from a round on."""

    after_round: Annotated[int, Field(description="The first round in which it may be relaxed.")]


RelaxRuleRead = Annotated[
    Literal["never"] | RelaxFrom,
    Field(
        description='The relaxation rule, for callers who may see the red line: `"never"` or '
        '`{"after_round": N}`; absent when it may be relaxed any time.'
    ),
]


@dataclass(frozen=True, kw_only=True)
class RedLineRead:
    """A red line; label, expr, constraint, rationale and issues are absent when hidden."""

    id: int
    party: str
    visibility: Visibility
    status: RedLineStatus
    label: Omittable[str] = None
    expr: Omittable[str] = None
    constraint: Omittable[Constraint] = None
    rationale: Omittable[str] = None
    issues: Omittable[list[str]] = None


@dataclass(frozen=True, kw_only=True)
class RedLineListed(RedLineRead):
    """A red line as listed and declared: with the round it was declared in, and its rule."""

    declared_round: int | None
    relax_note: Omittable[str] = None
    relax: Omittable[RelaxRuleRead] = None


@dataclass(frozen=True, kw_only=True)
class RedLineRelaxed(RedLineRead):
    """A red line just relaxed, with the note of its relaxation."""

    relax_note: str
    relax: Omittable[RelaxRuleRead] = None


def red_line_read(red_line: RedLine, viewer: Viewer) -> RedLineRead:
    """Return a red line as ``viewer`` may see it (API.md's red-line shape)."""
    if viewer.sees(red_line):
        return RedLineRead(**_shown(red_line))
    return RedLineRead(**_key(red_line))


def red_line_listed(
    red_line: RedLine,
    viewer: Viewer,
    *,
    declared_round: int | None,
    relax_note: str | None,
    rule: RelaxRule,
) -> RedLineListed:
    """Return a red line as listed: the rule and relax note only when the viewer sees it."""
    if viewer.sees(red_line):
        return RedLineListed(
            **_shown(red_line),
            declared_round=declared_round,
            relax_note=relax_note,
            relax=relax_read(rule),
        )
    return RedLineListed(**_key(red_line), declared_round=declared_round)


def relax_read(rule: RelaxRule) -> Literal["never"] | RelaxFrom | None:
    """Return a relaxation rule as the API shows it (None: any time)."""
    if not rule.relaxable:
        return "never"
    return None if rule.after_round is None else RelaxFrom(after_round=rule.after_round)


def _key(red_line: RedLine) -> dict[str, Any]:
    return {
        "id": red_line.id,
        "party": red_line.party,
        "visibility": red_line.visibility,
        "status": red_line.status,
    }


def _shown(red_line: RedLine) -> dict[str, Any]:
    return {
        **_key(red_line),
        "label": red_line.label,
        "expr": red_line.expr,
        "constraint": _CONSTRAINT.validate_python(node_to_json(red_line.constraint)),
        "rationale": red_line.rationale,
        "issues": list(issues_of(red_line.constraint)),
    }


@dataclass(frozen=True)
class PreferencesRead:
    """A party's preferences."""

    party: str
    weights: dict[str, float]
    scores: dict[str, Any]
    reservation: float
    normalised_weights: dict[str, float]
    updated_at: Timestamp


@dataclass(frozen=True)
class CheckCounts:
    """How many checks each delegation made (counted by the answering worker)."""

    parties: Annotated[dict[str, int], Field(description="Every party, with its checks.")]
    convener: int
    anonymous: Annotated[int, Field(description="Checks made without a token.")]
    since: Annotated[str, Field(description="When this worker started counting.")]
