"""What a viewer may see of a round in play: sealed proposals, and events redacted for it."""

from __future__ import annotations

from typing import Any

from service.db.models import EventRow
from service.domain.events import redact_event_data
from service.domain.privacy import Viewer
from service.domain.protocol import Phase
from service.domain.record import format_time
from service.services.loading import SummitContext


def is_sealed(ctx: SummitContext, round_number: int) -> bool:
    """Say whether proposals of ``round_number`` are still sealed (their phase is running)."""
    row = ctx.row
    return row.round_number == round_number and row.phase == Phase.PROPOSALS.value


def sealed_round(ctx: SummitContext) -> int | None:
    """Return the round whose proposals are sealed now, if any."""
    row = ctx.row
    return row.round_number if row.phase == Phase.PROPOSALS.value else None


def event_view(row: EventRow, viewer: Viewer, sealed: int | None) -> dict[str, Any]:
    """Return an event with its data redacted for ``viewer`` (typed by ``EventRead``)."""
    return {
        "seq": row.seq,
        "at": format_time(row.at),
        "type": row.type,
        "actor": row.actor,
        "data": redact_event_data(row.type, row.data, viewer, sealed_round=sealed),
        "hash": row.hash,
    }
