"""The event log's shapes: one model of ``data`` per event type, redacted fields optional."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.api.schemas.common import Issue, Package, Timestamp
from service.api.schemas.red_lines import ConcessionRead, RedLineRead
from service.api.schemas.summits import PartyRead, ProtocolRead
from service.domain.checker import Verdict, Visibility
from service.domain.events import EventType
from service.domain.protocol import Answer, Outcome, Phase


class StoredCheck(BaseModel):
    """A check report as the record keeps it: red-line ids by outcome, nothing private."""

    complete: bool
    verdict: Verdict
    checked: list[int] = Field(description="Every red line that was active.")
    violated: list[int]
    undetermined: list[int]
    private: list[int] | None = Field(
        default=None,
        description="The private red lines among those checked (absent for anonymous callers, "
        "and in records kept before it was).",
    )
    hidden: int | None = Field(
        default=None,
        description="Anonymous callers only: how many private red lines' statuses are withheld "
        "(the lists and the verdict then cover public red lines alone).",
    )


class TabledProposal(BaseModel):
    """A proposal as recorded; only id, round, party and ``sealed`` while it is sealed."""

    id: int
    round: int
    party: str | None
    sealed: bool | None = None
    package: Package | None = None
    complete: bool | None = None
    rationale: str | None = None
    check: StoredCheck | None = None


class PreferencesSpec(BaseModel):
    """A party's preference document as it was set."""

    weights: dict[str, float]
    scores: dict[str, Any]
    reservation: float


class SummitCreatedData(BaseModel):
    """summit.created."""

    title: str
    issues: list[Issue]
    parties: list[PartyRead]
    protocol: ProtocolRead


class RedLineDeclaredData(BaseModel):
    """red_line.declared: the red line, redacted like GET /red-lines."""

    red_line: RedLineRead


class RedLineRelaxedData(BaseModel):
    """red_line.relaxed; the note is absent for others when the red line is private."""

    red_line: int
    party: str
    visibility: Visibility
    round: int | None
    note: str | None = None


class PreferencesSetData(BaseModel):
    """preferences.set; the document only for its party and the convener."""

    party: str
    preferences: PreferencesSpec | None = None


class SummitStartedData(BaseModel):
    """summit.started (no data)."""


class RoundOpenedData(BaseModel):
    """round.opened."""

    round: int
    phase: Phase
    deadline: Timestamp | None


class ProposalTabledData(BaseModel):
    """proposal.tabled."""

    proposal: TabledProposal


class PartyPassedData(BaseModel):
    """party.passed (``party`` null for the convener)."""

    round: int
    party: str | None


class PhaseChangedData(BaseModel):
    """phase.changed."""

    model_config = ConfigDict(populate_by_name=True)

    round: int
    from_: Phase = Field(alias="from")
    to: Phase
    reason: str
    deadline: Timestamp | None


class ResponseGivenData(BaseModel):
    """response.given (``defaulted`` when the deadline answered for a silent party)."""

    round: int
    proposal: int
    party: str
    verdict: Answer
    note: str
    defaulted: bool


class ConcessionRecordedData(BaseModel):
    """concession.recorded."""

    concession: ConcessionRead


class RoundClosedData(BaseModel):
    """round.closed."""

    round: int
    reason: str
    settled_by: int | None


class SummitConcludedData(BaseModel):
    """summit.concluded."""

    outcome: Outcome
    settlement: Package | None
    proposal: int | None
    round: int | None
    reason: str
    rule: str | None = Field(
        default=None,
        description="For an agreement: by what rule the settling package was chosen among "
        "those every party accepted.",
    )
    accepted_by_all: list[int] | None = Field(
        default=None,
        description="For an agreement: every proposal of the round accepted by every party "
        "and breaking no active red line, in the order the rule ranks them.",
    )


class SummitDeclassifiedData(BaseModel):
    """summit.declassified: private content opened for the debrief."""

    note: str


class ProtocolChangedData(BaseModel):
    """protocol.changed: the convener set the phase deadlines (PATCH /summits/{id}/protocol)."""

    changed: list[Literal["phase_seconds", "deadline_in_seconds"]] = Field(
        description="Which of the request's fields were set."
    )
    phase_seconds: float | None = Field(description="Each phase's length from now on.")
    round: int | None
    phase: Phase | None
    deadline: Timestamp | None = Field(description="The current phase's deadline now.")


class _Event(BaseModel):
    seq: int
    at: Timestamp
    actor: str = Field(description="convener, party:<key> or system")
    hash: str


class SummitCreatedEvent(_Event):
    """An event of type summit.created (its data redacted for the caller)."""

    type: Literal[EventType.SUMMIT_CREATED]
    data: SummitCreatedData


class RedLineDeclaredEvent(_Event):
    """An event of type red_line.declared (its data redacted for the caller)."""

    type: Literal[EventType.RED_LINE_DECLARED]
    data: RedLineDeclaredData


class RedLineRelaxedEvent(_Event):
    """An event of type red_line.relaxed (its data redacted for the caller)."""

    type: Literal[EventType.RED_LINE_RELAXED]
    data: RedLineRelaxedData


class PreferencesSetEvent(_Event):
    """An event of type preferences.set (its data redacted for the caller)."""

    type: Literal[EventType.PREFERENCES_SET]
    data: PreferencesSetData


class SummitStartedEvent(_Event):
    """An event of type summit.started (its data redacted for the caller)."""

    type: Literal[EventType.SUMMIT_STARTED]
    data: SummitStartedData


class RoundOpenedEvent(_Event):
    """An event of type round.opened (its data redacted for the caller)."""

    type: Literal[EventType.ROUND_OPENED]
    data: RoundOpenedData


class ProposalTabledEvent(_Event):
    """An event of type proposal.tabled (its data redacted for the caller)."""

    type: Literal[EventType.PROPOSAL_TABLED]
    data: ProposalTabledData


class PartyPassedEvent(_Event):
    """An event of type party.passed (its data redacted for the caller)."""

    type: Literal[EventType.PARTY_PASSED]
    data: PartyPassedData


class PhaseChangedEvent(_Event):
    """An event of type phase.changed (its data redacted for the caller)."""

    type: Literal[EventType.PHASE_CHANGED]
    data: PhaseChangedData


class ResponseGivenEvent(_Event):
    """An event of type response.given (its data redacted for the caller)."""

    type: Literal[EventType.RESPONSE_GIVEN]
    data: ResponseGivenData


class ConcessionRecordedEvent(_Event):
    """An event of type concession.recorded (its data redacted for the caller)."""

    type: Literal[EventType.CONCESSION_RECORDED]
    data: ConcessionRecordedData


class RoundClosedEvent(_Event):
    """An event of type round.closed (its data redacted for the caller)."""

    type: Literal[EventType.ROUND_CLOSED]
    data: RoundClosedData


class SummitConcludedEvent(_Event):
    """An event of type summit.concluded (its data redacted for the caller)."""

    type: Literal[EventType.SUMMIT_CONCLUDED]
    data: SummitConcludedData


class SummitDeclassifiedEvent(_Event):
    """An event of type summit.declassified (nothing in it is private)."""

    type: Literal[EventType.SUMMIT_DECLASSIFIED]
    data: SummitDeclassifiedData


class ProtocolChangedEvent(_Event):
    """An event of type protocol.changed (nothing in it is private)."""

    type: Literal[EventType.PROTOCOL_CHANGED]
    data: ProtocolChangedData


EventRead = Annotated[
    SummitCreatedEvent
    | RedLineDeclaredEvent
    | RedLineRelaxedEvent
    | PreferencesSetEvent
    | SummitStartedEvent
    | RoundOpenedEvent
    | ProposalTabledEvent
    | PartyPassedEvent
    | PhaseChangedEvent
    | ResponseGivenEvent
    | ConcessionRecordedEvent
    | RoundClosedEvent
    | SummitConcludedEvent
    | SummitDeclassifiedEvent
    | ProtocolChangedEvent,
    Field(discriminator="type"),
]
