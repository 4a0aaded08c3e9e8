"""What a viewer may see of a round in play: sealed proposals, and events redacted for it."""

from __future__ import annotations

from service.db.models import EventRow
from service.domain.events import redact_event_data
from service.domain.privacy import Viewer
from service.domain.protocol import Phase
from service.domain.record import format_time
from service.services.loading import SummitContext
from service.services.results.events import EventView


def is_sealed(ctx: SummitContext, round_number: int) -> bool:
    """Say whether proposals of ``round_number`` are still sealed (their phase is running)."""
    row = ctx.row
    return row.round_number == round_number and row.phase == Phase.PROPOSALS.value


def sealed_round(ctx: SummitContext) -> int | None:
    """Return the round whose proposals are sealed now, if any."""
    row = ctx.row
    return row.round_number if row.phase == Phase.PROPOSALS.value else None


def event_view(row: EventRow, viewer: Viewer, sealed: int | None) -> EventView:
    """Return an event with its data redacted for ``viewer``."""
    return EventView(
        row.seq,
        format_time(row.at),
        row.type,
        row.actor,
        redact_event_data(row.type, row.data, viewer, sealed_round=sealed),
        row.hash,
    )
