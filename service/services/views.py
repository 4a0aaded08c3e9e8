"""The JSON shapes of API.md, built from rows and redacted for the viewer."""

from __future__ import annotations

from typing import Any

from service.db.models import (
    ConcessionRow,
    EventRow,
    PassRow,
    ProposalRow,
    ResponseRow,
    SummitRow,
)
from service.domain.events import redact_concession, redact_event_data
from service.domain.privacy import Viewer
from service.domain.protocol import Phase, RoundState
from service.domain.record import format_time
from service.services.loading import SummitContext


def _time(value: Any) -> str | None:
    return None if value is None else format_time(value)


def summit_view(ctx: SummitContext, state: RoundState | None = None) -> dict[str, Any]:
    """Return a summit (API.md's shape plus timing and where the round stands)."""
    row = ctx.row
    names = ctx.party_names()
    current = None
    if row.round_number is not None and row.phase is not None:
        current = {
            "number": row.round_number,
            "phase": row.phase,
            "deadline": _time(row.phase_deadline_at),
            "waiting_for": state.waiting_for() if state is not None else None,
        }
    return {
        "id": row.id,
        "title": row.title,
        "status": row.status,
        "outcome": row.outcome,
        "settlement": row.settlement,
        "settlement_proposal": row.settlement_proposal_id,
        "issues": row.agenda,
        "parties": [{"key": key, "name": name} for key, name in names.items()],
        "protocol": row.protocol,
        "round": current,
        "rounds_played": row.round_number or 0,
        "events": row.last_seq,
        "created_at": _time(row.created_at),
        "started_at": _time(row.started_at),
        "concluded_at": _time(row.concluded_at),
    }


def summit_summary(row: SummitRow, names: dict[str, str]) -> dict[str, Any]:
    """Return the short form of a summit used in listings."""
    current = None
    if row.round_number is not None and row.phase is not None:
        current = {
            "number": row.round_number,
            "phase": row.phase,
            "deadline": _time(row.phase_deadline_at),
        }
    return {
        "id": row.id,
        "title": row.title,
        "status": row.status,
        "outcome": row.outcome,
        "parties": [{"key": key, "name": name} for key, name in names.items()],
        "round": current,
        "created_at": _time(row.created_at),
    }


def is_sealed(ctx: SummitContext, round_number: int) -> bool:
    """Say whether proposals of ``round_number`` are still sealed (their phase is running)."""
    row = ctx.row
    return row.round_number == round_number and row.phase == Phase.PROPOSALS.value


def sealed_round(ctx: SummitContext) -> int | None:
    """Return the round whose proposals are sealed now, if any."""
    row = ctx.row
    return row.round_number if row.phase == Phase.PROPOSALS.value else None


def proposal_view(
    ctx: SummitContext,
    row: ProposalRow,
    viewer: Viewer,
    check: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a proposal; while its phase runs only its author and the convener see it.

    ``check`` is the report to show when the caller already has it; otherwise the stored
    report is written for the viewer.
    """
    if is_sealed(ctx, row.round) and not viewer.sees_proposal(row.party_key):
        return {"id": row.id, "round": row.round, "party": row.party_key, "sealed": True}
    out = proposal_record(row)
    out["check"] = check or ctx.reports().stored(row.check_report, viewer, row.package)
    out["created_at"] = _time(row.created_at)
    return out


def proposal_record(row: ProposalRow) -> dict[str, Any]:
    """Return the full record of a proposal (the event's payload; its check stored compact)."""
    return {
        "id": row.id,
        "round": row.round,
        "party": row.party_key,
        "package": row.package,
        "complete": row.complete,
        "rationale": row.rationale,
        "check": row.check_report,
    }


def response_view(row: ResponseRow) -> dict[str, Any]:
    """Return a response."""
    return {
        "proposal": row.proposal_id,
        "party": row.party_key,
        "verdict": row.verdict,
        "note": row.note,
        "defaulted": row.defaulted,
        "round": row.round,
        "created_at": _time(row.created_at),
    }


def pass_view(row: PassRow) -> dict[str, Any]:
    """Return a pass (``party`` null for the convener)."""
    return {"party": row.party_key, "round": row.round, "created_at": _time(row.created_at)}


def concession_record(row: ConcessionRow) -> dict[str, Any]:
    """Return the full record of a concession (before redaction)."""
    out: dict[str, Any] = {
        "id": row.id,
        "kind": row.kind,
        "party": row.party_key,
        "round": row.round,
        "note": row.note,
        "created_at": _time(row.created_at),
    }
    if row.issue is not None:
        out.update({"issue": row.issue, "from": row.from_value, "to": row.to_value})
    if row.red_line_id is not None:
        out["red_line"] = row.red_line_id
    if row.proposal_id is not None:
        out["proposal"] = row.proposal_id
    if row.utility_change is not None:
        out["utility_change"] = row.utility_change
    return out


def concession_view(ctx: SummitContext, row: ConcessionRow, viewer: Viewer) -> dict[str, Any]:
    """Return a concession redacted for ``viewer``."""
    record = concession_record(row)
    if row.red_line_id is not None:
        red_line = ctx.red_line_map().get(row.red_line_id)
        record["visibility"] = red_line.visibility.value if red_line else "private"
    return redact_concession(record, viewer)


def event_view(row: EventRow, viewer: Viewer, sealed: int | None) -> dict[str, Any]:
    """Return an event with its data redacted for ``viewer``."""
    return {
        "seq": row.seq,
        "at": format_time(row.at),
        "type": row.type,
        "actor": row.actor,
        "data": redact_event_data(row.type, row.data, viewer, sealed_round=sealed),
        "hash": row.hash,
    }
