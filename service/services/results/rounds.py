"""Rounds and their moves as the services answer them: proposals, passes, responses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from service.db.models import PassRow, ProposalRow, ResponseRow
from service.domain.checker import Verdict
from service.domain.privacy import Viewer
from service.domain.protocol import Answer, Outcome, Phase, SummitStatus
from service.domain.record import format_time
from service.domain.reports import CheckReportView
from service.services.loading import SummitContext
from service.services.results.common import Omittable, Package, Timestamp, is_none
from service.services.results.concessions import ConcessionRead
from service.services.views import is_sealed


@dataclass(frozen=True)
class _ProposalKey:
    id: int
    round: int
    party: Annotated[str | None, Field(description="null for the convener's mediator text")]


@dataclass(frozen=True)
class SealedProposal(_ProposalKey):
    """A proposal whose proposals phase still runs, as others see it: nothing but that."""

    sealed: Literal[True]


@dataclass(frozen=True)
class ProposalRead(_ProposalKey):
    """A proposal with its check report, as the caller may see it."""

    package: Package
    complete: bool
    rationale: str
    check: CheckReportView
    created_at: Timestamp


@dataclass(frozen=True, kw_only=True)
class StoredCheck:
    """A check report as the record keeps it: red-line ids by outcome, nothing private."""

    complete: bool
    verdict: Verdict
    checked: Annotated[list[int], Field(description="Every red line that was active.")]
    violated: list[int]
    undetermined: list[int]
    private: Annotated[
        list[int] | None,
        Field(
            exclude_if=is_none,
            description="The private red lines among those checked (absent for anonymous "
            "callers, and in records kept before it was).",
        ),
    ] = None
    hidden: Annotated[
        int | None,
        Field(
            exclude_if=is_none,
            description="Anonymous callers only: how many private red lines' statuses are "
            "withheld (the lists and the verdict then cover public red lines alone).",
        ),
    ] = None


@dataclass(frozen=True)
class TabledProposal:
    """A proposal as recorded, its check kept compact."""

    id: int
    round: int
    party: str | None
    package: Package
    complete: bool
    rationale: str
    check: StoredCheck


@dataclass(frozen=True)
class PassRead:
    """A pass (``party`` null for the convener)."""

    party: str | None
    round: int
    created_at: Timestamp


@dataclass(frozen=True)
class ResponseRead:
    """An answer; ``defaulted`` when the deadline answered reject for a silent party."""

    proposal: int
    party: str
    verdict: Answer
    note: str
    defaulted: bool
    round: int
    created_at: Timestamp


@dataclass(frozen=True)
class RoundRead:
    """A round: its phase, proposals, passes, responses and concessions."""

    number: int
    phase: Literal["proposals", "responses", "closed"]
    deadline: Timestamp | None
    waiting_for: list[str]
    proposals: list[ProposalRead | SealedProposal]
    passes: list[PassRead]
    responses: list[ResponseRead]
    concessions: list[ConcessionRead]
    settled_by: Omittable[int] = None


@dataclass(frozen=True)
class ClosedPhase:
    """The phase the convener closed."""

    round: int
    phase: Phase


@dataclass(frozen=True)
class CurrentRound:
    """The round and phase a summit is in."""

    number: int
    phase: Phase


@dataclass(frozen=True)
class AdvanceResult:
    """What the convener's advance closed, and where the summit stands now."""

    closed: ClosedPhase
    status: SummitStatus
    outcome: Outcome | None
    round: CurrentRound | None


def proposal_read(
    ctx: SummitContext,
    row: ProposalRow,
    viewer: Viewer,
    check: CheckReportView | None = None,
) -> ProposalRead | SealedProposal:
    """Return a proposal; while its phase runs only its author and the convener see it.

    ``check`` is the report to show when the caller already has it; otherwise the stored
    report is written for the viewer.
    """
    if is_sealed(ctx, row.round) and not viewer.sees_proposal(row.party_key):
        return SealedProposal(id=row.id, round=row.round, party=row.party_key, sealed=True)
    return ProposalRead(
        id=row.id,
        round=row.round,
        party=row.party_key,
        package=row.package,
        complete=row.complete,
        rationale=row.rationale,
        check=check or ctx.reports().stored(row.check_report, viewer, row.package),
        created_at=format_time(row.created_at),
    )


def proposal_record(row: ProposalRow) -> TabledProposal:
    """Return the full record of a proposal (the event's payload; its check stored compact)."""
    return TabledProposal(
        id=row.id,
        round=row.round,
        party=row.party_key,
        package=row.package,
        complete=row.complete,
        rationale=row.rationale,
        check=stored_check(row.check_report),
    )


def stored_check(stored: Mapping[str, Any]) -> StoredCheck:
    """Return a stored compact report (``privacy.compact_report``) as its type."""
    return StoredCheck(
        complete=stored["complete"],
        verdict=Verdict(stored["verdict"]),
        checked=stored["checked"],
        violated=stored["violated"],
        undetermined=stored["undetermined"],
        private=stored.get("private"),
        hidden=stored.get("hidden"),
    )


def pass_read(row: PassRow) -> PassRead:
    """Return a pass (``party`` null for the convener)."""
    return PassRead(party=row.party_key, round=row.round, created_at=format_time(row.created_at))


def response_read(row: ResponseRow) -> ResponseRead:
    """Return a response."""
    return ResponseRead(
        proposal=row.proposal_id,
        party=row.party_key,
        verdict=Answer(row.verdict),
        note=row.note,
        defaulted=row.defaulted,
        round=row.round,
        created_at=format_time(row.created_at),
    )
