"""Reading the record: rounds, events (with the long poll's fetch), verification, history."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from service.db.repositories.concessions import ConcessionRepository
from service.db.repositories.events import EventRepository
from service.db.repositories.rounds import RoundRepository
from service.domain.errors import NotFound
from service.domain.privacy import Viewer, red_line_view
from service.domain.protocol import SummitStatus
from service.domain.record import ChainedEvent, format_time, verify_chain
from service.services import lifecycle
from service.services.auth import require_convener
from service.services.loading import SummitContext, load_summit
from service.services.review import opened
from service.services.views import (
    concession_view,
    event_view,
    pass_view,
    proposal_view,
    response_view,
    sealed_round,
    summit_view,
)


def round_views(
    ctx: SummitContext, viewer: Viewer, only: int | None = None
) -> list[dict[str, Any]]:
    """Return every round played so far (or just round ``only``) as the caller may see it."""
    last = ctx.row.round_number or 0
    numbers = [only] if only is not None else list(range(1, last + 1))
    repo = RoundRepository(ctx.session)
    grouped: dict[str, dict[int, list[dict[str, Any]]]] = {
        name: defaultdict(list) for name in ("proposals", "passes", "responses", "concessions")
    }
    for p in repo.proposals(ctx.id, only):
        grouped["proposals"][p.round].append(proposal_view(ctx, p, viewer))
    for s in repo.passes(ctx.id, only):
        grouped["passes"][s.round].append(pass_view(s))
    for r in repo.responses(ctx.id, only):
        grouped["responses"][r.round].append(response_view(r))
    for c in ConcessionRepository(ctx.session).of_summit(ctx.id, only):
        if c.round is not None:
            grouped["concessions"][c.round].append(concession_view(ctx, c, viewer))
    current = ctx.row.round_number if ctx.status is SummitStatus.OPEN else None
    state = lifecycle.load_state(ctx) if current is not None else None
    out = []
    for number in numbers:
        view: dict[str, Any] = {"number": number}
        if number == current and state is not None:
            deadline = ctx.row.phase_deadline_at
            view.update(
                phase=ctx.row.phase,
                deadline=None if deadline is None else format_time(deadline),
                waiting_for=state.waiting_for(),
            )
        else:
            view.update(phase="closed", deadline=None, waiting_for=[])
        for name, rows in grouped.items():
            view[name] = rows.get(number, [])
        if ctx.row.settlement_proposal_id is not None and number == ctx.row.round_number:
            view["settled_by"] = ctx.row.settlement_proposal_id
        out.append(view)
    return out


def get_round(
    session: Session, summit_id: str, wanted: int | None, viewer: Viewer
) -> dict[str, Any]:
    """Return one round: phase, proposals, passes, responses and concessions.

    ``wanted`` None means the current round.
    """
    ref = "current" if wanted is None else str(wanted)
    ctx = load_summit(session, summit_id)
    last = ctx.row.round_number
    number = last if wanted is None else wanted
    if number is None or last is None or number > last:
        raise NotFound(
            f"round {ref} has not been played in summit {ctx.id} "
            f"({'no round yet' if last is None else f'rounds 1 to {last} so far'})",
            details={"round": ref, "rounds_played": last or 0},
        )
    return round_views(ctx, viewer, number)[0]


def list_events(
    session: Session, summit_id: str, viewer: Viewer, *, after: int, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """Return events after ``after`` redacted for the caller, and whether the summit has ended."""
    ctx = load_summit(session, summit_id)
    sealed = sealed_round(ctx)
    finished = ctx.status is SummitStatus.CONCLUDED
    if finished:
        # Only an ended summit can have been declassified: the long poll of one in play, the
        # hot path, asks nothing more.
        viewer = opened(session, ctx.id, viewer)
    rows = EventRepository(session).after(ctx.id, after=after, limit=limit)
    return [event_view(row, viewer, sealed) for row in rows], finished


def verify(session: Session, summit_id: str, viewer: Viewer) -> dict[str, Any]:
    """Recompute the hash chain of a summit (convener only)."""
    ctx = load_summit(session, summit_id)
    require_convener(viewer, "verify the record")
    rows = EventRepository(session).after(ctx.id)
    chained = (
        ChainedEvent(r.seq, format_time(r.at), r.type, r.actor, r.data, r.hash) for r in rows
    )
    result = verify_chain(chained, expected_last=ctx.row.last_hash)
    return {
        "valid": result.valid,
        "events": result.events,
        "first_bad_seq": result.first_bad_seq,
        "head": ctx.row.last_hash,
    }


def history(session: Session, summit_id: str, viewer: Viewer) -> dict[str, Any]:
    """Return the whole record of a summit by round, with the per-party concession ledger."""
    ctx = load_summit(session, summit_id)
    state = lifecycle.load_state(ctx) if ctx.status is SummitStatus.OPEN else None
    ledger: dict[str, list[dict[str, Any]]] = {party: [] for party in ctx.parties}
    for row in ConcessionRepository(session).of_summit(ctx.id):
        ledger[row.party_key].append(concession_view(ctx, row, viewer))
    return {
        "summit": summit_view(ctx, state),
        "rounds": round_views(ctx, viewer),
        "ledger": {
            party: {"count": len(entries), "concessions": entries}
            for party, entries in ledger.items()
        },
        "record": {"events": ctx.row.last_seq, "head": ctx.row.last_hash},
        # So that readers can name relaxed red lines by the labels this caller may see.
        "red_lines": [red_line_view(red_line, viewer) for red_line in ctx.red_lines()],
    }
