"""Shapes of review: the request to declassify, and the state at a point, diffs, utilities.

The measures, charts and declassification are ``service.services.results.review``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from service.api.schemas.common import Model


class ReviewPoint(BaseModel):
    """Where in the record a state stands."""

    seq: int = Field(description="The last event replayed.")
    round: int | None
    phase: str | None = None
    status: str | None = None


class ReviewProposal(BaseModel):
    """A proposal in review; ``sealed`` (and nothing else) while its phase runs, for others."""

    id: int
    round: int
    party: str | None
    sealed: bool | None = None
    package: dict[str, Any] | None = None
    complete: bool | None = None
    rationale: str | None = None
    verdict: str | None = None
    utilities: dict[str, float] | None = Field(
        default=None,
        description="Utility to each party the caller may see: all for the convener, its own "
        "for a delegation, none for an anonymous caller (all once declassified).",
    )


class ReviewRound(BaseModel):
    """One round's moves."""

    number: int
    phase: str
    proposals: list[ReviewProposal]
    passes: list[str | None]
    responses: list[dict[str, Any]]
    concessions: list[dict[str, Any]]
    relaxed_red_lines: list[int]
    closed: dict[str, Any] | None


class ReviewSettlement(BaseModel):
    """The agreed package and its utilities to the parties the caller may see."""

    proposal: int | None
    package: dict[str, Any] | None = None
    utilities: dict[str, float]


class StateRead(BaseModel):
    """The summit as it stood at the end of a round or after an event."""

    summit: str
    declassified: bool
    at: ReviewPoint
    agenda: dict[str, Any]
    red_lines: list[dict[str, Any]] = Field(
        description="Every red line declared by then with its status then; others' private "
        "ones as id, party, visibility and status only."
    )
    preferences: dict[str, dict[str, Any]]
    positions: dict[str, ReviewProposal | None]
    round: ReviewRound | None
    concessions: list[dict[str, Any]]
    outcome: str | None
    settlement: ReviewSettlement | None


class PartyMoves(BaseModel):
    """What one party moved between two rounds."""

    model_config = {"populate_by_name": True}

    from_: dict[str, int] | None = Field(alias="from")
    to: dict[str, int] | None
    moved: list[dict[str, Any]] = Field(description="[{issue, from, to}]")
    utility_change: float | None


class DiffRead(BaseModel):
    """What moved between the ends of two rounds."""

    model_config = {"populate_by_name": True}

    summit: str
    declassified: bool
    from_: ReviewPoint = Field(alias="from")
    to: ReviewPoint
    parties: dict[str, PartyMoves]
    relaxed_red_lines: list[dict[str, Any]]
    concessions: list[dict[str, Any]]


class TrajectoryPoint(BaseModel):
    """The utility to one party of one proposal."""

    round: int
    proposal: int
    author: str | None
    utility: float


class UtilitiesRead(BaseModel):
    """Utilities of every proposal and of the settlement, per party the caller may see."""

    summit: str
    declassified: bool
    parties: list[str]
    reservations: dict[str, float]
    proposals: list[dict[str, Any]]
    settlement: ReviewSettlement | None
    trajectories: dict[str, list[TrajectoryPoint]]


class DeclassifyRequest(Model):
    """Why the summit is opened for its debrief."""

    note: str = Field(default="", max_length=4000)
