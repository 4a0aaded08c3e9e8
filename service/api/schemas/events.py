"""The event log's shapes: an event of each type, redacted for the caller.

Its ``data`` is the payload the services record (``service.services.results.event_data``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from service.domain.events import EventType
from service.services.results.common import Timestamp
from service.services.results.event_data import (
    ConcessionRecordedData,
    PartyPassedData,
    PhaseChangedData,
    PreferencesSetData,
    ProposalTabledData,
    RedLineDeclaredData,
    RedLineRelaxedData,
    ResponseGivenData,
    RoundClosedData,
    RoundOpenedData,
    SummitConcludedData,
    SummitCreatedData,
    SummitDeclassifiedData,
    SummitStartedData,
)


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
    | SummitDeclassifiedEvent,
    Field(discriminator="type"),
]
