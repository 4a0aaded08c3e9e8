"""A summit's moves: proposals, passes, responses and the convener's advance."""

from __future__ import annotations

from service.db.models import PassRow, ProposalRow, ResponseRow
from service.db.repositories.rounds import RoundRepository
from service.db.transaction import Transaction
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.privacy import Role, Viewer, compact_report, red_line_view
from service.domain.protocol import (
    CONVENER,
    Answer,
    Outcome,
    Phase,
    RoundState,
    SummitStatus,
    check_can_pass,
    check_can_propose,
    check_can_respond,
)
from service.services import lifecycle
from service.services.auth import require_convener, require_delegation, require_token
from service.services.clock import utcnow
from service.services.eventlog import append_event
from service.services.loading import SummitContext, load_summit
from service.services.results.event_data import (
    PartyPassedData,
    ProposalTabledData,
    ResponseGivenData,
)
from service.services.results.rounds import (
    AdvanceResult,
    ClosedPhase,
    CurrentRound,
    PassRead,
    ProposalRead,
    ResponseRead,
    SealedProposal,
    pass_read,
    proposal_read,
    proposal_record,
    response_read,
)


def not_open(ctx: SummitContext) -> Conflict:
    """Return the Conflict for acting on a summit that is not open."""
    row = ctx.row
    if row.status == SummitStatus.SETUP.value:
        message = f"summit {row.id} is in setup: waiting for the convener to start it"
    else:
        message = f"summit {row.id} has concluded with outcome {row.outcome}"
    return Conflict(message, details={"status": row.status, "outcome": row.outcome})


def _open_round(
    tx: Transaction, summit_id: str, wanted: int | None, viewer: Viewer, action: str
) -> tuple[SummitContext, RoundState]:
    """Lock the summit, apply due deadlines, and check ``wanted`` is the current round.

    ``wanted`` None means the current round, whatever its number.
    """
    ctx = load_summit(tx, summit_id, for_update=True)
    require_token(viewer, action)
    now = utcnow()
    lifecycle.apply_due(ctx, now)
    if ctx.status is not SummitStatus.OPEN:
        raise not_open(ctx)
    state = lifecycle.load_state(ctx)
    if wanted is not None and wanted != state.number:
        raise Conflict(
            f"round {wanted} is not the current round: {state.describe()}",
            details=state.details(),
        )
    return ctx, state


def propose(
    tx: Transaction,
    summit_id: str,
    round_number: int | None,
    viewer: Viewer,
    *,
    package: object,
    rationale: str,
) -> ProposalRead | SealedProposal:
    """Table a proposal (a party's, or the convener's mediator text) with its check report."""
    ctx, state = _open_round(tx, summit_id, round_number, viewer, "tabling a proposal")
    actor = (
        CONVENER if viewer.role is Role.CONVENER else require_delegation(viewer, "table a proposal")
    )
    checked = ctx.agenda.validate_package(package)
    if not checked:
        raise InvalidInput(
            "a proposal assigns at least one issue",
            details={"errors": [{"loc": ["package"], "message": "empty package"}]},
        )
    check_can_propose(state, actor)
    report = ctx.checker().check(checked)
    if viewer.role is Role.DELEGATION:
        own = report.violated(viewer.party)
        if own:
            raise Conflict(
                f"the package breaks your own active red line(s) "
                f"{', '.join(str(rl.id) for rl in own)}: relax them first or change the package",
                details={"red_lines": [red_line_view(rl, viewer) for rl in own]},
            )
    now = utcnow()
    row = ProposalRow(
        summit_id=ctx.id,
        round=state.number,
        party_key=viewer.party if actor != CONVENER else None,
        package=checked,
        complete=report.complete,
        rationale=rationale,
        check_report=compact_report(report),
        created_at=now,
    )
    RoundRepository(tx).add(row)
    state.proposals.append(lifecycle.tabled(row))
    append_event(ctx, viewer.actor, ProposalTabledData(proposal_record(row)), now)
    out = proposal_read(ctx, row, viewer, ctx.reports().live(report, viewer, checked))
    lifecycle.after_move(ctx, state, now)
    lifecycle.remember(ctx, state)
    return out


def pass_turn(
    tx: Transaction, summit_id: str, round_number: int | None, viewer: Viewer
) -> PassRead:
    """Pass the proposals phase (a party, or the convener in a mediated summit)."""
    ctx, state = _open_round(tx, summit_id, round_number, viewer, "passing")
    actor = CONVENER if viewer.role is Role.CONVENER else require_delegation(viewer, "pass")
    check_can_pass(state, actor)
    now = utcnow()
    row = PassRow(
        summit_id=ctx.id,
        round=state.number,
        party_key=None if actor == CONVENER else actor,
        created_at=now,
    )
    RoundRepository(tx).add(row)
    state.passed.add(actor)
    append_event(ctx, viewer.actor, PartyPassedData(state.number, row.party_key), now)
    lifecycle.after_move(ctx, state, now)
    lifecycle.remember(ctx, state)
    return pass_read(row)


def respond(
    tx: Transaction,
    summit_id: str,
    round_number: int | None,
    viewer: Viewer,
    *,
    proposal_id: int,
    verdict: str,
    note: str,
) -> ResponseRead:
    """Answer a full proposal of the current round with ``accept`` or ``reject``."""
    ctx, state = _open_round(tx, summit_id, round_number, viewer, "answering a proposal")
    party = require_delegation(viewer, "answer a proposal")
    proposal = RoundRepository(tx).proposal(ctx.id, proposal_id)
    if proposal is None:
        raise NotFound(
            f"summit {ctx.id} has no proposal {proposal_id}", details={"proposal": proposal_id}
        )
    if proposal.round != state.number:
        raise Conflict(
            f"proposal {proposal_id} belongs to round {proposal.round}: {state.describe()}",
            details=state.details(),
        )
    answer = Answer(verdict)
    check_can_respond(state, party, lifecycle.tabled(proposal))
    if answer is Answer.ACCEPT:
        own = ctx.checker().check(proposal.package).violated(party)
        if own:
            raise Conflict(
                f"proposal {proposal_id} breaks your own active red line(s) "
                f"{', '.join(str(rl.id) for rl in own)}: relax them first to accept it",
                details={"red_lines": [red_line_view(rl, viewer) for rl in own]},
            )
    now = utcnow()
    row = ResponseRow(
        summit_id=ctx.id,
        round=state.number,
        proposal_id=proposal_id,
        party_key=party,
        verdict=answer.value,
        note=note,
        defaulted=False,
        created_at=now,
    )
    RoundRepository(tx).add(row)
    state.responses[(proposal_id, party)] = answer
    append_event(
        ctx,
        viewer.actor,
        ResponseGivenData(
            round=state.number,
            proposal=proposal_id,
            party=party,
            verdict=answer,
            note=note,
            defaulted=False,
        ),
        now,
    )
    lifecycle.after_move(ctx, state, now)
    lifecycle.remember(ctx, state)
    return response_read(row)


def advance(
    tx: Transaction, summit_id: str, round_number: int | None, viewer: Viewer
) -> AdvanceResult:
    """Close the current phase now (convener only); returns where the summit stands."""
    ctx, state = _open_round(tx, summit_id, round_number, viewer, "advancing the round")
    require_convener(viewer, "advance the round")
    now = utcnow()
    closed = ClosedPhase(round=state.number, phase=state.phase)
    if state.phase is Phase.PROPOSALS:
        lifecycle.close_proposals(ctx, state, now, reason="convener", actor=viewer.actor)
    else:
        lifecycle.close_round(ctx, state, now, reason="convener", actor=viewer.actor)
    row = ctx.row
    return AdvanceResult(
        closed=closed,
        status=SummitStatus(row.status),
        outcome=None if row.outcome is None else Outcome(row.outcome),
        round=None
        if row.phase is None or row.round_number is None
        else CurrentRound(number=row.round_number, phase=Phase(row.phase)),
    )
