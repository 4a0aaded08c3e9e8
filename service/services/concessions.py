"""Explicit concessions and the concession ledger."""

from __future__ import annotations

from service.db.models import ConcessionRow
from service.db.repositories.concessions import ConcessionRepository
from service.db.transaction import Transaction
from service.domain.concessions import ConcessionKind
from service.domain.errors import Conflict, InvalidInput
from service.domain.privacy import Viewer
from service.domain.protocol import SummitStatus
from service.services.auth import require_delegation
from service.services.clock import utcnow
from service.services.eventlog import append_event
from service.services.loading import load_summit
from service.services.results.concessions import (
    ConcessionRead,
    concession_read,
    concession_record,
)
from service.services.results.event_data import ConcessionRecordedData


def record_concession(
    tx: Transaction,
    summit_id: str,
    viewer: Viewer,
    *,
    issue: str,
    before: object,
    after: object,
    note: str,
) -> ConcessionRead:
    """Record a party's explicit concession on one issue, from one value to another."""
    ctx = load_summit(tx, summit_id, for_update=True)
    party = require_delegation(viewer, "record a concession")
    if ctx.status is SummitStatus.CONCLUDED:
        raise Conflict(
            f"summit {ctx.id} has concluded with outcome {ctx.row.outcome}",
            details={"status": ctx.row.status},
        )
    checked = ctx.agenda.validate_package({issue: before}, loc=("from",))
    ctx.agenda.validate_package({issue: after}, loc=("to",))
    if before == after:
        raise InvalidInput(
            "a concession moves from one value to another",
            details={"errors": [{"loc": ["to"], "message": "'to' equals 'from'"}]},
        )
    prefs = ctx.preferences(party)
    change = None
    if prefs is not None:
        key = next(iter(checked))
        change = prefs.issue_utility(key, after) - prefs.issue_utility(key, before)  # type: ignore[arg-type]
    now = utcnow()
    row = ConcessionRow(
        summit_id=ctx.id,
        round=ctx.row.round_number if ctx.status is SummitStatus.OPEN else None,
        party_key=party,
        kind=ConcessionKind.EXPLICIT.value,
        issue=issue,
        from_value=before,
        to_value=after,
        utility_change=change,
        note=note,
        created_at=now,
    )
    ConcessionRepository(tx).add(row)
    append_event(ctx, viewer.actor, ConcessionRecordedData(concession_record(row)), now)
    return concession_read(ctx, row, viewer)


def list_concessions(tx: Transaction, summit_id: str, viewer: Viewer) -> list[ConcessionRead]:
    """Return the whole concession ledger in the order recorded, redacted for the caller."""
    ctx = load_summit(tx, summit_id)
    rows = ConcessionRepository(tx).of_summit(ctx.id)
    return [concession_read(ctx, row, viewer) for row in rows]
