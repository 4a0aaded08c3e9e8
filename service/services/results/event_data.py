"""What each event of the log records: one payload type per event type.

The services append these (``eventlog.append_event`` stores their JSON); the event log
answers them redacted for the caller (``service.domain.events.redact_event_data``), which is
why fields a caller may not see are optional here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import ConfigDict, Field

from service.domain.checker import Visibility
from service.domain.events import EventType
from service.domain.protocol import Answer, Outcome, Phase
from service.services.results.common import Issue, Omittable, Package, Timestamp, is_none
from service.services.results.concessions import ConcessionRead
from service.services.results.red_lines import RedLineListed, RedLineRead
from service.services.results.rounds import SealedProposal, TabledProposal
from service.services.results.summits import PartyRead, ProtocolRead


@dataclass(frozen=True)
class PreferencesSpec:
    """A party's preference document as it was set."""

    weights: dict[str, float]
    scores: dict[str, Any]
    reservation: float


@dataclass(frozen=True)
class SummitCreatedData:
    """summit.created."""

    event: ClassVar[EventType] = EventType.SUMMIT_CREATED
    title: str
    issues: list[Issue]
    parties: list[PartyRead]
    protocol: ProtocolRead


@dataclass(frozen=True)
class RedLineDeclaredData:
    """red_line.declared: the red line, redacted like GET /red-lines."""

    event: ClassVar[EventType] = EventType.RED_LINE_DECLARED
    red_line: RedLineListed | RedLineRead


@dataclass(frozen=True)
class RedLineRelaxedData:
    """red_line.relaxed; the note is absent for others when the red line is private."""

    event: ClassVar[EventType] = EventType.RED_LINE_RELAXED
    red_line: int
    party: str
    visibility: Visibility
    round: int | None
    note: Omittable[str] = None


@dataclass(frozen=True)
class PreferencesSetData:
    """preferences.set; the document only for its party and the convener."""

    event: ClassVar[EventType] = EventType.PREFERENCES_SET
    party: str
    preferences: Omittable[PreferencesSpec] = None


@dataclass(frozen=True)
class SummitStartedData:
    """summit.started (no data)."""

    event: ClassVar[EventType] = EventType.SUMMIT_STARTED


@dataclass(frozen=True)
class RoundOpenedData:
    """round.opened."""

    event: ClassVar[EventType] = EventType.ROUND_OPENED
    round: int
    phase: Phase
    deadline: Timestamp | None


@dataclass(frozen=True)
class ProposalTabledData:
    """proposal.tabled; only id, round, party and ``sealed`` while it is sealed to the caller."""

    event: ClassVar[EventType] = EventType.PROPOSAL_TABLED
    proposal: TabledProposal | SealedProposal


@dataclass(frozen=True)
class PartyPassedData:
    """party.passed (``party`` null for the convener)."""

    event: ClassVar[EventType] = EventType.PARTY_PASSED
    round: int
    party: str | None


@dataclass(frozen=True)
class PhaseChangedData:
    """phase.changed."""

    __pydantic_config__ = ConfigDict(populate_by_name=True)
    event: ClassVar[EventType] = EventType.PHASE_CHANGED
    round: int
    from_: Annotated[Phase, Field(alias="from")]
    to: Phase
    reason: str
    deadline: Timestamp | None


@dataclass(frozen=True)
class ResponseGivenData:
    """response.given (``defaulted`` when the deadline answered for a silent party)."""

    event: ClassVar[EventType] = EventType.RESPONSE_GIVEN
    round: int
    proposal: int
    party: str
    verdict: Answer
    note: str
    defaulted: bool


@dataclass(frozen=True)
class ConcessionRecordedData:
    """concession.recorded."""

    event: ClassVar[EventType] = EventType.CONCESSION_RECORDED
    concession: ConcessionRead


@dataclass(frozen=True)
class RoundClosedData:
    """round.closed."""

    event: ClassVar[EventType] = EventType.ROUND_CLOSED
    round: int
    reason: str
    settled_by: int | None


@dataclass(frozen=True)
class SummitConcludedData:
    """summit.concluded."""

    event: ClassVar[EventType] = EventType.SUMMIT_CONCLUDED
    outcome: Outcome
    settlement: Package | None
    proposal: int | None
    round: int | None
    reason: str
    rule: Annotated[
        str | None,
        Field(
            exclude_if=is_none,
            description="For an agreement: by what rule the settling package was chosen among "
            "those every party accepted.",
        ),
    ] = None
    accepted_by_all: Annotated[
        list[int] | None,
        Field(
            exclude_if=is_none,
            description="For an agreement: every proposal of the round accepted by every party "
            "and breaking no active red line, in the order the rule ranks them.",
        ),
    ] = None


@dataclass(frozen=True)
class SummitDeclassifiedData:
    """summit.declassified: private content opened for the debrief."""

    event: ClassVar[EventType] = EventType.SUMMIT_DECLASSIFIED
    note: str


EventData = (
    SummitCreatedData
    | RedLineDeclaredData
    | RedLineRelaxedData
    | PreferencesSetData
    | SummitStartedData
    | RoundOpenedData
    | ProposalTabledData
    | PartyPassedData
    | PhaseChangedData
    | ResponseGivenData
    | ConcessionRecordedData
    | RoundClosedData
    | SummitConcludedData
    | SummitDeclassifiedData
)
