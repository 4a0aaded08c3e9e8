"""Request and response shapes of rounds, proposals, responses, events and history."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from service.api.schemas.common import Model, Package, PackageField, PackageIn, Timestamp
from service.api.schemas.red_lines import CheckReport, ConcessionRead, RedLineRead
from service.api.schemas.summits import SummitRead
from service.domain.protocol import Answer


class ProposalCreate(Model):
    """A package tabled in the current round."""

    package: PackageIn = PackageField
    rationale: str = Field(default="", max_length=4000)


class ProposalRead(BaseModel):
    """A proposal; ``sealed`` (and nothing else) while its proposals phase runs, for others."""

    id: int
    round: int
    party: str | None = Field(description="null for the convener's mediator text")
    sealed: bool | None = None
    package: Package | None = None
    complete: bool | None = None
    rationale: str | None = None
    check: CheckReport | None = None
    created_at: Timestamp | None = None


class ResponseCreate(Model):
    """An answer to a full proposal of the round."""

    proposal: int
    verdict: Answer
    note: str = Field(default="", max_length=4000)


class ResponseRead(BaseModel):
    """An answer; ``defaulted`` when the deadline answered reject for a silent party."""

    proposal: int
    party: str
    verdict: Answer
    note: str
    defaulted: bool
    round: int
    created_at: Timestamp


class PassRead(BaseModel):
    """A pass (``party`` null for the convener)."""

    party: str | None
    round: int
    created_at: Timestamp


class RoundRead(BaseModel):
    """A round: its phase, proposals, passes, responses and concessions."""

    number: int
    phase: Literal["proposals", "responses", "closed"]
    deadline: Timestamp | None
    waiting_for: list[str]
    proposals: list[ProposalRead]
    passes: list[PassRead]
    responses: list[ResponseRead]
    concessions: list[ConcessionRead]
    settled_by: int | None = None


class VerifyRead(BaseModel):
    """The outcome of recomputing the hash chain."""

    valid: bool
    events: int
    first_bad_seq: int | None
    head: str


class LedgerEntry(BaseModel):
    """A party's concessions."""

    count: int
    concessions: list[ConcessionRead]


class RecordHead(BaseModel):
    """The record's size and the hash at its head."""

    events: int
    head: str


class HistoryRead(BaseModel):
    """The whole record of a summit by round, with the concession ledger."""

    summit: SummitRead
    rounds: list[RoundRead]
    ledger: dict[str, LedgerEntry]
    record: RecordHead
    red_lines: list[RedLineRead] = Field(
        default_factory=list, description="Every red line, redacted for the caller."
    )
