"""The life of a summit's rounds: opening, phase changes, deadlines, closing and concluding.

Every transition here runs inside the caller's write transaction, with the summit row
locked, and appends its events; nothing commits here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from service.db.models import ConcessionRow, ProposalRow, ResponseRow
from service.db.repositories.concessions import ConcessionRepository
from service.db.repositories.rounds import RoundRepository
from service.domain.concessions import ConcessionKind, derive_moves
from service.domain.preferences import Preferences
from service.domain.protocol import (
    CONVENER,
    Answer,
    Outcome,
    Phase,
    RoundState,
    SummitStatus,
    Tabled,
    next_round,
    proposals_done,
    responses_done,
    settlement_rule,
    unanimous,
)
from service.domain.record import format_time
from service.services.eventlog import append_event
from service.services.loading import SummitContext
from service.services.results.concessions import concession_record
from service.services.results.event_data import (
    ConcessionRecordedData,
    PhaseChangedData,
    ResponseGivenData,
    RoundClosedData,
    RoundOpenedData,
    SummitConcludedData,
)

SYSTEM = "system"


def _copy(state: RoundState) -> RoundState:
    return replace(
        state,
        proposals=list(state.proposals),
        passed=set(state.passed),
        responses=dict(state.responses),
    )


def load_state(ctx: SummitContext) -> RoundState:
    """Load the moves of the current round into the protocol's state."""
    row = ctx.row
    assert row.round_number is not None
    assert row.phase is not None
    # The cached state is tagged with the summit's last event seq, read under the row lock;
    # every move appends an event, so a matching tag means it is what the database holds.
    cached = ctx.cache.tagged(ctx.cache.round_states, row.id, row.last_seq)
    if cached is not None and cached.number == row.round_number:
        return _copy(cached)
    repo = RoundRepository(ctx.tx)
    number = row.round_number
    state = RoundState(
        number=number,
        phase=Phase(row.phase),
        parties=tuple(ctx.parties),
        mediated=ctx.protocol.mediated,
    )
    state.proposals = [
        Tabled(p.id, p.party_key, p.package, p.complete) for p in repo.proposals(row.id, number)
    ]
    state.passed = {p.party_key or CONVENER for p in repo.passes(row.id, number)}
    state.responses = {
        (r.proposal_id, r.party_key): Answer(r.verdict) for r in repo.responses(row.id, number)
    }
    return state


def remember(ctx: SummitContext, state: RoundState) -> None:
    """Keep ``state`` for the next request once this transaction has committed.

    Only a state that still describes the summit's current round and phase is kept.
    """
    row, states = ctx.row, ctx.cache.round_states

    def keep() -> None:
        if row.round_number == state.number and row.phase == state.phase.value:
            states.put(row.id, (row.last_seq, _copy(state)))

    ctx.tx.after_commit(keep)


def _set_deadline(ctx: SummitContext, now: datetime) -> None:
    seconds = ctx.protocol.phase_seconds
    ctx.set(phase_deadline_at=None if seconds is None else now + timedelta(seconds=seconds))
    ctx.tx.signal("deadline", ctx.row.id)


def _deadline_text(ctx: SummitContext) -> str | None:
    deadline = ctx.row.phase_deadline_at
    return None if deadline is None else format_time(deadline)


def open_round(ctx: SummitContext, number: int, now: datetime) -> None:
    """Open round ``number`` in phase ``proposals``."""
    ctx.set(round_number=number, phase=Phase.PROPOSALS.value)
    _set_deadline(ctx, now)
    append_event(ctx, SYSTEM, RoundOpenedData(number, Phase.PROPOSALS, _deadline_text(ctx)), now)


def after_move(ctx: SummitContext, state: RoundState, now: datetime) -> None:
    """Move the round on when the move just made completed its phase."""
    if state.phase is Phase.PROPOSALS and proposals_done(state):
        close_proposals(ctx, state, now, reason="all_acted", actor=SYSTEM)
    elif state.phase is Phase.RESPONSES and responses_done(state):
        close_round(ctx, state, now, reason="all_answered", actor=SYSTEM)


def close_proposals(
    ctx: SummitContext, state: RoundState, now: datetime, *, reason: str, actor: str
) -> None:
    """Close the proposals phase: reveal the proposals and open responses (or close the round).

    Proposals are sealed until now, so their derived concessions are recorded here.
    """
    _record_derived_concessions(ctx, state, now)
    if not state.answerable():
        close_round(ctx, state, now, reason="no_full_proposals", actor=actor)
        return
    state.phase = Phase.RESPONSES
    ctx.set(phase=Phase.RESPONSES.value)
    _set_deadline(ctx, now)
    append_event(
        ctx,
        actor,
        PhaseChangedData(
            round=state.number,
            from_=Phase.PROPOSALS,
            to=Phase.RESPONSES,
            reason=reason,
            deadline=_deadline_text(ctx),
        ),
        now,
    )
    if responses_done(state):
        close_round(ctx, state, now, reason="all_answered", actor=SYSTEM)


def _record_derived_concessions(ctx: SummitContext, state: RoundState, now: datetime) -> None:
    authors = [p.party for p in state.proposals if p.party is not None]
    if state.number == 1 or not authors:
        return
    previous = RoundRepository(ctx.tx).previous_proposals(ctx.id, authors, state.number)
    ledger = ConcessionRepository(ctx.tx)
    preferences: dict[str, Preferences] | None = None
    for proposal in state.proposals:
        earlier = previous.get(proposal.party) if proposal.party is not None else None
        if earlier is None or earlier.package == proposal.package:
            continue
        assert proposal.party is not None
        if preferences is None:
            preferences = ctx.all_preferences()
        moves = derive_moves(earlier.package, proposal.package, preferences.get(proposal.party))
        for move in moves:
            row = ConcessionRow(
                summit_id=ctx.id,
                round=state.number,
                party_key=proposal.party,
                kind=ConcessionKind.DERIVED.value,
                issue=move.issue,
                from_value=move.before,
                to_value=move.after,
                proposal_id=proposal.id,
                utility_change=move.utility_change,
                note=f"moved from proposal {earlier.id} to proposal {proposal.id}",
                created_at=now,
            )
            ledger.add(row)
            append_event(
                ctx, f"party:{proposal.party}", ConcessionRecordedData(concession_record(row)), now
            )


def close_round(
    ctx: SummitContext, state: RoundState, now: datetime, *, reason: str, actor: str
) -> None:
    """Close the round: missing answers count as rejections; settle, or open the next round."""
    missing = state.missing_responses()
    if missing:
        rows = [
            ResponseRow(
                summit_id=ctx.id,
                round=state.number,
                proposal_id=proposal_id,
                party_key=party,
                verdict=Answer.REJECT.value,
                note="",
                defaulted=True,
                created_at=now,
            )
            for proposal_id, party in missing
        ]
        RoundRepository(ctx.tx).add_responses(rows)
        for response in rows:
            state.responses[(response.proposal_id, response.party_key)] = Answer.REJECT
            append_event(
                ctx,
                SYSTEM,
                ResponseGivenData(
                    round=state.number,
                    proposal=response.proposal_id,
                    party=response.party_key,
                    verdict=Answer.REJECT,
                    note="",
                    defaulted=True,
                ),
                now,
            )
    chosen = unanimous(state, ctx.checker().is_clear)
    settled = chosen[0] if chosen else None
    append_event(
        ctx, actor, RoundClosedData(state.number, reason, settled.id if settled else None), now
    )
    if settled is not None:
        conclude(
            ctx,
            Outcome.AGREEMENT,
            settled,
            now,
            actor=SYSTEM,
            reason="unanimous acceptance",
            # Which settled and by what rule, when several packages were accepted by all.
            rule=(settlement_rule(chosen), [proposal.id for proposal in chosen]),
        )
        return
    following = next_round(state.number, ctx.protocol)
    if following is None:
        conclude(ctx, Outcome.NO_AGREEMENT, None, now, actor=SYSTEM, reason="max_rounds reached")
    else:
        open_round(ctx, following, now)


def conclude(
    ctx: SummitContext,
    outcome: Outcome,
    settled: Tabled | None,
    now: datetime,
    *,
    actor: str,
    reason: str,
    rule: tuple[str, list[int]] | None = None,
) -> None:
    """End the summit with ``outcome`` (and the settling proposal for an agreement).

    ``rule`` says by which rule the settlement was chosen among the packages all accepted,
    and which those were.
    """
    row = ctx.row
    ctx.set(
        status=SummitStatus.CONCLUDED.value,
        outcome=outcome.value,
        settlement=dict(settled.package) if settled else None,
        settlement_proposal_id=settled.id if settled else None,
        concluded_at=now,
        phase=None,
        phase_deadline_at=None,
    )
    ctx.tx.signal("deadline", row.id)
    append_event(
        ctx,
        actor,
        SummitConcludedData(
            outcome=outcome,
            settlement=row.settlement,
            proposal=row.settlement_proposal_id,
            round=row.round_number,
            reason=reason,
            rule=rule[0] if rule else None,
            accepted_by_all=rule[1] if rule else None,
        ),
        now,
    )


def apply_due(ctx: SummitContext, now: datetime) -> bool:
    """Apply a passed phase deadline (the server enforces it even when nobody calls).

    A missed proposals deadline moves to responses; a missed responses deadline closes the
    round with missing answers counted as rejections. Returns whether anything moved.
    """
    row = ctx.row
    moved = False
    while (
        row.status == SummitStatus.OPEN.value
        and row.phase_deadline_at is not None
        and row.phase_deadline_at <= now
    ):
        state = load_state(ctx)
        if state.phase is Phase.PROPOSALS:
            close_proposals(ctx, state, now, reason="deadline", actor=SYSTEM)
        else:
            close_round(ctx, state, now, reason="deadline", actor=SYSTEM)
        moved = True
    return moved


def tabled(row: ProposalRow) -> Tabled:
    """Return the protocol's view of a stored proposal."""
    return Tabled(row.id, row.party_key, row.package, row.complete)
