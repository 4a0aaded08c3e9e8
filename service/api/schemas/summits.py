"""Request and response shapes of summits."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from service.api.schemas.common import Issue, Model, Package, Timestamp
from service.api.schemas.limits import (
    KEY_LENGTH,
    MAX_ISSUES,
    MAX_OPTIONS,
    MAX_PARTIES,
    IssueBound,
    Key,
    PhaseSeconds,
    Rounds,
)
from service.domain.protocol import Outcome, Phase, SummitStatus


class IssueSpec(Model):
    """An issue of the agenda."""

    key: str = Field(
        max_length=KEY_LENGTH, description="^[a-z][a-z0-9_]{0,62}$", examples=["assad_role"]
    )
    title: str = Field(default="", max_length=200)
    kind: str = Field(description="options, integer or boolean")
    options: list[Key] | None = Field(
        default=None,
        max_length=MAX_OPTIONS,
        description="For kind options: ordered option keys (comparisons use order).",
    )
    min: IssueBound = Field(default=None, description="For kind integer: the lowest value.")
    max: IssueBound = Field(default=None, description="For kind integer: the highest value.")
    description: str = Field(default="", max_length=2000)
    option_descriptions: dict[Key, Annotated[str, Field(max_length=2000)]] | None = Field(
        default=None, max_length=MAX_OPTIONS, description="A one-line description per option."
    )


class PartySpec(Model):
    """A delegation at the table."""

    key: str = Field(max_length=KEY_LENGTH, examples=["kurds"])
    name: str = Field(default="", max_length=200, examples=["Kurdish-led administration"])


class ProtocolSpec(Model):
    """How rounds run."""

    name: Literal["simultaneous"] = "simultaneous"
    max_rounds: Rounds = Field(examples=[10])
    phase_seconds: PhaseSeconds = Field(
        default=None, description="Deadline of each phase in seconds; none when null."
    )
    mediated: bool = Field(
        default=False,
        description="When true, the proposals phase also waits for the convener's mediator "
        "text (or pass).",
    )


class SummitCreate(Model):
    """A new summit."""

    title: str = Field(min_length=1, max_length=200)
    issues: list[IssueSpec] = Field(min_length=1, max_length=MAX_ISSUES)
    parties: list[PartySpec] = Field(min_length=2, max_length=MAX_PARTIES)
    protocol: ProtocolSpec


class RoundPosition(BaseModel):
    """Where the current round stands."""

    number: int
    phase: Phase
    deadline: Timestamp | None = None
    waiting_for: list[str] | None = Field(
        default=None, description="Parties (or 'convener') the phase still waits for."
    )


class PartyRead(BaseModel):
    """A delegation."""

    key: str
    name: str


class ProtocolRead(BaseModel):
    """How the summit's rounds run."""

    name: Literal["simultaneous"]
    max_rounds: int
    phase_seconds: float | None
    mediated: bool


class SummitRead(BaseModel):
    """A summit."""

    id: str
    title: str
    status: SummitStatus
    outcome: Outcome | None = Field(description="null until the summit concludes")
    settlement: Package | None = Field(description="The agreed package, or null.")
    settlement_proposal: int | None = None
    issues: list[Issue]
    parties: list[PartyRead]
    protocol: ProtocolRead
    round: RoundPosition | None
    rounds_played: int
    events: int = Field(description="How many events the record holds.")
    created_at: Timestamp
    started_at: Timestamp | None
    concluded_at: Timestamp | None


class Tokens(BaseModel):
    """Bearer tokens, one per role, shown once."""

    convener: str
    parties: dict[str, str]


class SummitCreated(BaseModel):
    """The new summit and its tokens (never shown again)."""

    summit: SummitRead
    tokens: Tokens


class SummitSummary(BaseModel):
    """A summit in a listing."""

    id: str
    title: str
    status: SummitStatus
    outcome: Outcome | None
    parties: list[PartyRead]
    round: RoundPosition | None
    created_at: Timestamp


class SummitPage(BaseModel):
    """A page of summits."""

    items: list[SummitSummary]
    total: int
    limit: int
    offset: int


class AbortRequest(Model):
    """Why the convener ends the summit."""

    reason: str = Field(default="", max_length=2000)


class ClosedPhase(BaseModel):
    """The phase the convener closed."""

    round: int
    phase: Phase


class CurrentRound(BaseModel):
    """The round and phase a summit is in."""

    number: int
    phase: Phase


class AdvanceResult(BaseModel):
    """What the convener's advance closed, and where the summit stands now."""

    closed: ClosedPhase
    status: SummitStatus
    outcome: Outcome | None
    round: CurrentRound | None
