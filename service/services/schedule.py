"""A running summit's clock, set by the convener: each phase's length and the current deadline.

``phase_seconds`` is the protocol's length of every phase that opens from now on (null: no
deadline); ``deadline_in_seconds`` moves the deadline of the phase now running to that many
seconds from now (null: this phase has none). Either or both; one ``protocol.changed`` event
records what was set. The deadline keeper of this worker is woken at commit, those of other
workers find the new deadline on their next look at the database, and long polls and event
streams wake on the event, as for any other change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Literal

from service.db.transaction import Transaction
from service.domain.errors import Conflict, InvalidInput
from service.domain.privacy import Viewer
from service.domain.protocol import Phase, SummitStatus, build_protocol
from service.domain.record import format_time
from service.services import lifecycle
from service.services.auth import require_convener
from service.services.clock import utcnow
from service.services.eventlog import append_event
from service.services.loading import load_summit
from service.services.results.event_data import ProtocolChangedData
from service.services.results.summits import SummitRead, summit_read

ClockField = Literal["phase_seconds", "deadline_in_seconds"]
FIELDS: tuple[ClockField, ...] = ("phase_seconds", "deadline_in_seconds")


def set_schedule(
    tx: Transaction, summit_id: str, viewer: Viewer, changes: Mapping[str, float | None]
) -> SummitRead:
    """Apply ``changes`` (keys of ``FIELDS``) to a summit not yet concluded; convener only."""
    ctx = load_summit(tx, summit_id, for_update=True)
    require_convener(viewer, "set the phase deadlines")
    given: list[ClockField] = [name for name in FIELDS if name in changes]
    if not given:
        raise InvalidInput(
            "say what to set: phase_seconds, deadline_in_seconds or both",
            details={"errors": [{"loc": [], "message": "nothing to set", "allowed": list(FIELDS)}]},
        )
    if ctx.status is SummitStatus.CONCLUDED:
        raise Conflict(
            f"summit {summit_id} has concluded ({ctx.row.outcome}): its clock is stopped",
            details={"status": ctx.row.status, "outcome": ctx.row.outcome},
        )
    if "deadline_in_seconds" in changes and ctx.status is not SummitStatus.OPEN:
        raise Conflict(
            f"summit {summit_id} is in setup: no phase is running, so there is no current "
            "deadline to set (set phase_seconds, or start the summit first)",
            details={"status": ctx.row.status},
        )
    now = utcnow()
    if "phase_seconds" in changes:
        protocol = build_protocol({**ctx.row.protocol, "phase_seconds": changes["phase_seconds"]})
        ctx.set(protocol=protocol.spec())
    if "deadline_in_seconds" in changes:
        seconds = changes["deadline_in_seconds"]
        ctx.set(phase_deadline_at=None if seconds is None else now + timedelta(seconds=seconds))
        tx.signal("deadline", ctx.id)
    deadline = ctx.row.phase_deadline_at
    append_event(
        ctx,
        viewer.actor,
        ProtocolChangedData(
            changed=given,
            phase_seconds=ctx.row.protocol["phase_seconds"],
            round=ctx.row.round_number,
            phase=None if ctx.row.phase is None else Phase(ctx.row.phase),
            deadline=None if deadline is None else format_time(deadline),
        ),
        now,
    )
    state = lifecycle.load_state(ctx) if ctx.status is SummitStatus.OPEN else None
    return summit_read(ctx, state)
