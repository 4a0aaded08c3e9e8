"""A review as one viewer reads it: the shapes ``review.Reviewer`` writes.

The API's response schemas are these types. Redaction is in the types where it can be: a
proposal still sealed for the viewer is a ``SealedReviewProposal``, which has no package at all.
Red lines, responses and concessions stay the replayed records (already redacted for the
viewer). Plain frozen dataclasses, as ``service.domain.reports``; a diff names its earlier end
``from`` (a Python keyword), so the classes holding one tell the schema to drop the trailing
underscore of ``from_`` (a pydantic setting, read by the API layer; nothing imported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from service.domain.privacy import Role


def _json_name(field: str) -> str:
    return field.rstrip("_")


# Read by pydantic (the API's schema and serializer) from the class: ``from_`` is "from".
_FROM = {"alias_generator": _json_name, "serialize_by_alias": True, "validate_by_name": True}


@dataclass(frozen=True)
class ReviewPoint:
    """Where in the record a state stands: the last event replayed, its round and phase."""

    seq: int
    round: int | None
    phase: str | None
    status: str


@dataclass(frozen=True)
class DiffPoint:
    """One end of a diff: the last event replayed and its round."""

    seq: int
    round: int | None


@dataclass(frozen=True)
class SealedReviewProposal:
    """A proposal whose proposals phase still runs, as others see it: nothing but that."""

    id: int
    round: int
    party: str | None
    sealed: Literal[True]


@dataclass(frozen=True)
class ReviewProposal:
    """A proposal with its utility to each party the viewer may see.

    ``utilities``: all for the convener, its own for a delegation, none for an anonymous
    caller (all once declassified), by the preferences in force when it was tabled.
    """

    id: int
    round: int
    party: str | None
    package: Mapping[str, Any]
    complete: bool
    rationale: str
    verdict: str | None
    utilities: dict[str, float]


@dataclass(frozen=True)
class ReviewRound:
    """One round's moves."""

    number: int
    phase: str
    proposals: list[ReviewProposal | SealedReviewProposal]
    passes: list[str | None]
    responses: list[dict[str, Any]]
    concessions: list[dict[str, Any]]
    relaxed_red_lines: list[int]
    closed: dict[str, Any] | None


@dataclass(frozen=True)
class ReviewAgenda:
    """The summit's title, issues, parties and protocol."""

    title: str
    issues: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    protocol: dict[str, Any]


@dataclass(frozen=True)
class Settlement:
    """The agreed package and its utilities to the parties the viewer may see."""

    proposal: int | None
    package: Mapping[str, Any]
    utilities: dict[str, float]


@dataclass(frozen=True)
class SettlementWorth:
    """The settlement's utilities to the parties the viewer may see."""

    proposal: int | None
    utilities: dict[str, float]


@dataclass(frozen=True)
class ViewedAs:
    """Whom the answer was written for: the caller's role, and its party if a delegation."""

    role: Role
    party: str | None


@dataclass(frozen=True)
class ReviewState:
    """The summit as it stood at the end of a round or after an event.

    ``red_lines``: every red line declared by then with its status then; others' private
    ones as id, party, visibility and status only.
    """

    summit: str
    viewed_as: ViewedAs
    declassified: bool
    at: ReviewPoint
    agenda: ReviewAgenda
    red_lines: list[dict[str, Any]]
    preferences: dict[str, dict[str, Any]]
    positions: dict[str, ReviewProposal | None]
    round: ReviewRound | None
    concessions: list[dict[str, Any]]
    outcome: str | None
    settlement: Settlement | None


@dataclass(frozen=True)
class ProposalRef:
    """A proposal and its round."""

    proposal: int
    round: int


@dataclass(frozen=True)
class IssueMove:
    """One issue a party moved: from what to what."""

    __pydantic_config__ = _FROM

    issue: str
    from_: Any
    to: Any


@dataclass(frozen=True)
class PartyMoves:
    """What one party moved between two rounds, and the change in its own utility."""

    __pydantic_config__ = _FROM

    from_: ProposalRef | None
    to: ProposalRef | None
    moved: list[IssueMove]
    utility_change: float | None


@dataclass(frozen=True)
class ReviewDiff:
    """What moved between the ends of two rounds."""

    __pydantic_config__ = _FROM

    summit: str
    declassified: bool
    from_: DiffPoint
    to: DiffPoint
    parties: dict[str, PartyMoves]
    relaxed_red_lines: list[dict[str, Any]]
    concessions: list[dict[str, Any]]


@dataclass(frozen=True)
class TrajectoryPoint:
    """The utility to one party of one proposal."""

    round: int
    proposal: int
    author: str | None
    utility: float


@dataclass(frozen=True)
class ProposalWorth:
    """A proposal's utilities to the parties the viewer may see."""

    id: int
    round: int
    party: str | None
    utilities: dict[str, float]


@dataclass(frozen=True)
class ReviewUtilities:
    """Utilities of every proposal and of the settlement, per party the viewer may see."""

    summit: str
    declassified: bool
    parties: list[str]
    reservations: dict[str, float]
    proposals: list[ProposalWorth]
    settlement: SettlementWorth | None
    trajectories: dict[str, list[TrajectoryPoint]]
