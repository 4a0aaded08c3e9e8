"""Summits as the services answer them: the whole summit, its listing form, its tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from service.db.models import SummitRow
from service.domain.protocol import Outcome, Phase, RoundState, SummitStatus
from service.domain.record import format_time
from service.services.loading import SummitContext
from service.services.results.common import Issue, Package, Timestamp

_ISSUES = TypeAdapter(list[Issue])


def time_of(value: datetime | None) -> str | None:
    """Write a stored time as the API does (None stays None)."""
    return None if value is None else format_time(value)


@dataclass(frozen=True)
class RoundPosition:
    """Where the current round stands."""

    number: int
    phase: Phase
    deadline: Timestamp | None
    waiting_for: Annotated[
        list[str] | None,
        Field(description="Parties (or 'convener') the phase still waits for; null in listings."),
    ]


@dataclass(frozen=True)
class PartyRead:
    """A delegation."""

    key: str
    name: str


@dataclass(frozen=True)
class ProtocolRead:
    """How the summit's rounds run."""

    name: Literal["simultaneous"]
    max_rounds: int
    phase_seconds: float | None
    mediated: bool


@dataclass(frozen=True)
class SummitRead:
    """A summit."""

    id: str
    title: str
    status: SummitStatus
    outcome: Annotated[Outcome | None, Field(description="null until the summit concludes")]
    settlement: Annotated[Package | None, Field(description="The agreed package, or null.")]
    settlement_proposal: int | None
    issues: list[Issue]
    parties: list[PartyRead]
    protocol: ProtocolRead
    round: RoundPosition | None
    rounds_played: int
    events: Annotated[int, Field(description="How many events the record holds.")]
    created_at: Timestamp
    started_at: Timestamp | None
    concluded_at: Timestamp | None


@dataclass(frozen=True)
class Tokens:
    """Bearer tokens, one per role, shown once."""

    convener: str
    parties: dict[str, str]


@dataclass(frozen=True)
class SummitCreated:
    """The new summit and its tokens (never shown again)."""

    summit: SummitRead
    tokens: Tokens


@dataclass(frozen=True)
class SummitSummary:
    """A summit in a listing."""

    id: str
    title: str
    status: SummitStatus
    outcome: Outcome | None
    parties: list[PartyRead]
    round: RoundPosition | None
    created_at: Timestamp


@dataclass(frozen=True)
class SummitPage:
    """A page of summits."""

    items: list[SummitSummary]
    total: int
    limit: int
    offset: int


def protocol_read(spec: dict[str, Any]) -> ProtocolRead:
    """Return a stored protocol spec as the API shows it."""
    return ProtocolRead(
        name=spec["name"],
        max_rounds=spec["max_rounds"],
        phase_seconds=spec["phase_seconds"],
        mediated=spec["mediated"],
    )


def issues_read(specs: list[dict[str, Any]]) -> list[Issue]:
    """Return a stored agenda as the API shows it, one model per kind of issue."""
    return _ISSUES.validate_python(specs)


def summit_read(ctx: SummitContext, state: RoundState | None = None) -> SummitRead:
    """Return a summit (API.md's shape plus timing and where the round stands)."""
    row = ctx.row
    current = None
    if row.round_number is not None and row.phase is not None:
        current = RoundPosition(
            number=row.round_number,
            phase=Phase(row.phase),
            deadline=time_of(row.phase_deadline_at),
            waiting_for=state.waiting_for() if state is not None else None,
        )
    created = time_of(row.created_at)
    assert created is not None
    return SummitRead(
        id=row.id,
        title=row.title,
        status=SummitStatus(row.status),
        outcome=None if row.outcome is None else Outcome(row.outcome),
        settlement=row.settlement,
        settlement_proposal=row.settlement_proposal_id,
        issues=issues_read(row.agenda),
        parties=[PartyRead(key, name) for key, name in ctx.party_names().items()],
        protocol=protocol_read(row.protocol),
        round=current,
        rounds_played=row.round_number or 0,
        events=row.last_seq,
        created_at=created,
        started_at=time_of(row.started_at),
        concluded_at=time_of(row.concluded_at),
    )


def summit_summary(row: SummitRow, names: dict[str, str]) -> SummitSummary:
    """Return the short form of a summit used in listings."""
    current = None
    if row.round_number is not None and row.phase is not None:
        current = RoundPosition(
            number=row.round_number,
            phase=Phase(row.phase),
            deadline=time_of(row.phase_deadline_at),
            waiting_for=None,
        )
    return SummitSummary(
        id=row.id,
        title=row.title,
        status=SummitStatus(row.status),
        outcome=None if row.outcome is None else Outcome(row.outcome),
        parties=[PartyRead(key, name) for key, name in names.items()],
        round=current,
        created_at=format_time(row.created_at),
    )
