"""Reading the record: rounds, events (with the long poll's fetch), verification, history."""

from __future__ import annotations

from collections import defaultdict

from service.db.repositories.concessions import ConcessionRepository
from service.db.repositories.events import EventRepository
from service.db.repositories.rounds import RoundRepository
from service.db.transaction import Transaction
from service.domain.errors import NotFound
from service.domain.privacy import Viewer
from service.domain.protocol import SummitStatus
from service.domain.record import ChainedEvent, format_time, verify_chain
from service.services import lifecycle
from service.services.auth import require_convener
from service.services.loading import SummitContext, load_summit
from service.services.results.concessions import ConcessionRead, concession_read
from service.services.results.events import EventView
from service.services.results.records import (
    HistoryRead,
    LedgerEntry,
    RecordHead,
    VerifyRead,
)
from service.services.results.red_lines import red_line_read
from service.services.results.rounds import (
    PassRead,
    ProposalRead,
    ResponseRead,
    RoundRead,
    SealedProposal,
    pass_read,
    proposal_read,
    response_read,
)
from service.services.results.summits import summit_read
from service.services.review import opened
from service.services.views import event_view, sealed_round


def round_views(ctx: SummitContext, viewer: Viewer, only: int | None = None) -> list[RoundRead]:
    """Return every round played so far (or just round ``only``) as the caller may see it."""
    last = ctx.row.round_number or 0
    numbers = [only] if only is not None else list(range(1, last + 1))
    repo = RoundRepository(ctx.tx)
    proposals: dict[int, list[ProposalRead | SealedProposal]] = defaultdict(list)
    passes: dict[int, list[PassRead]] = defaultdict(list)
    responses: dict[int, list[ResponseRead]] = defaultdict(list)
    concessions: dict[int, list[ConcessionRead]] = defaultdict(list)
    for p in repo.proposals(ctx.id, only):
        proposals[p.round].append(proposal_read(ctx, p, viewer))
    for s in repo.passes(ctx.id, only):
        passes[s.round].append(pass_read(s))
    for r in repo.responses(ctx.id, only):
        responses[r.round].append(response_read(r))
    for c in ConcessionRepository(ctx.tx).of_summit(ctx.id, only):
        if c.round is not None:
            concessions[c.round].append(concession_read(ctx, c, viewer))
    current = ctx.row.round_number if ctx.status is SummitStatus.OPEN else None
    state = lifecycle.load_state(ctx) if current is not None else None
    settled = ctx.row.settlement_proposal_id
    out = []
    for number in numbers:
        in_play = number == current and state is not None
        deadline = ctx.row.phase_deadline_at if in_play else None
        out.append(
            RoundRead(
                number=number,
                phase=ctx.row.phase if in_play else "closed",  # type: ignore[arg-type]
                deadline=None if deadline is None else format_time(deadline),
                waiting_for=state.waiting_for() if in_play and state is not None else [],
                proposals=proposals.get(number, []),
                passes=passes.get(number, []),
                responses=responses.get(number, []),
                concessions=concessions.get(number, []),
                settled_by=settled if number == ctx.row.round_number else None,
            )
        )
    return out


def get_round(tx: Transaction, summit_id: str, wanted: int | None, viewer: Viewer) -> RoundRead:
    """Return one round: phase, proposals, passes, responses and concessions.

    ``wanted`` None means the current round.
    """
    ref = "current" if wanted is None else str(wanted)
    ctx = load_summit(tx, summit_id)
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
    tx: Transaction, summit_id: str, viewer: Viewer, *, after: int, limit: int
) -> tuple[list[EventView], bool]:
    """Return events after ``after`` redacted for the caller, and whether the summit has ended."""
    ctx = load_summit(tx, summit_id)
    sealed = sealed_round(ctx)
    finished = ctx.status is SummitStatus.CONCLUDED
    if finished:
        # Only an ended summit can have been declassified: the long poll of one in play, the
        # hot path, asks nothing more.
        viewer = opened(tx, ctx.id, viewer)
    rows = EventRepository(tx).after(ctx.id, after=after, limit=limit)
    return [event_view(row, viewer, sealed) for row in rows], finished


def verify(tx: Transaction, summit_id: str, viewer: Viewer) -> VerifyRead:
    """Recompute the hash chain of a summit (convener only)."""
    ctx = load_summit(tx, summit_id)
    require_convener(viewer, "verify the record")
    rows = EventRepository(tx).after(ctx.id)
    chained = (
        ChainedEvent(r.seq, format_time(r.at), r.type, r.actor, r.data, r.hash) for r in rows
    )
    result = verify_chain(chained, expected_last=ctx.row.last_hash)
    return VerifyRead(
        valid=result.valid,
        events=result.events,
        first_bad_seq=result.first_bad_seq,
        head=ctx.row.last_hash,
    )


def history(tx: Transaction, summit_id: str, viewer: Viewer) -> HistoryRead:
    """Return the whole record of a summit by round, with the per-party concession ledger."""
    ctx = load_summit(tx, summit_id)
    state = lifecycle.load_state(ctx) if ctx.status is SummitStatus.OPEN else None
    ledger: dict[str, list[ConcessionRead]] = {party: [] for party in ctx.parties}
    for row in ConcessionRepository(tx).of_summit(ctx.id):
        ledger[row.party_key].append(concession_read(ctx, row, viewer))
    return HistoryRead(
        summit=summit_read(ctx, state),
        rounds=round_views(ctx, viewer),
        ledger={
            party: LedgerEntry(count=len(entries), concessions=entries)
            for party, entries in ledger.items()
        },
        record=RecordHead(events=ctx.row.last_seq, head=ctx.row.last_hash),
        # So that readers can name relaxed red lines by the labels this caller may see.
        red_lines=[red_line_read(red_line, viewer) for red_line in ctx.red_lines()],
    )
