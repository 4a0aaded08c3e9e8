"""Routes: rounds and their moves."""

from __future__ import annotations

from fastapi import Path
from fastapi.responses import Response

from service.api.deps import Caller, api_router, in_unit, json, round_number
from service.api.schemas.common import errors, write_errors
from service.api.schemas.rounds import ProposalCreate, ResponseCreate
from service.services import checks, moves, records
from service.services.results.rounds import (
    AdvanceResult,
    PassRead,
    ProposalRead,
    ResponseRead,
    RoundRead,
    SealedProposal,
)

router = api_router("rounds")
RoundRef = Path(description="A round number, or `current`.", examples=["current", "1"])


@router.get(
    "/summits/{summit_id}/rounds/{n}",
    response_model=RoundRead,
    summary="Read a round",
    description="Phase, proposals (sealed to others while proposals are open), passes, "
    "responses and concessions of round n.",
    responses=errors(401, 403, 404, 422),
)
async def get_round(summit_id: str, caller: Caller, n: str = RoundRef) -> RoundRead:
    number = round_number(n)
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: records.get_round(tx, summit_id, number, viewer),
        write=False,
    )


@router.post(
    "/summits/{summit_id}/rounds/{n}/proposals",
    status_code=201,
    response_model=ProposalRead | SealedProposal,
    summary="Table a proposal",
    description="One per party per round, in phase proposals; the convener's is a mediator "
    "text. A party may not propose a package that breaks its own active red line (409).",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def propose(
    summit_id: str, body: ProposalCreate, caller: Caller, n: str = RoundRef
) -> Response:
    number = round_number(n)
    return json(
        await in_unit(
            caller,
            summit_id,
            lambda tx, viewer: moves.propose(
                tx, summit_id, number, viewer, package=body.package, rationale=body.rationale
            ),
            write=True,
            # A first proposal may compile every red line: in a thread, not on the loop.
            short=checks.is_compiled(caller.cache, summit_id),
        ),
        201,
    )


@router.post(
    "/summits/{summit_id}/rounds/{n}/pass",
    status_code=201,
    response_model=PassRead,
    summary="Pass the proposals phase",
    description="A party submits nothing this phase (the convener too, in a mediated summit).",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def pass_turn(summit_id: str, caller: Caller, n: str = RoundRef) -> Response:
    number = round_number(n)
    return json(
        await in_unit(
            caller,
            summit_id,
            lambda tx, viewer: moves.pass_turn(tx, summit_id, number, viewer),
            write=True,
            short=True,
        ),
        201,
    )


@router.post(
    "/summits/{summit_id}/rounds/{n}/responses",
    status_code=201,
    response_model=ResponseRead,
    summary="Answer a proposal",
    description="accept or reject a full proposal of the round that is not your own, in phase "
    "responses. Accepting a package that breaks your own active red line is 409.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def respond(
    summit_id: str, body: ResponseCreate, caller: Caller, n: str = RoundRef
) -> Response:
    number = round_number(n)
    return json(
        await in_unit(
            caller,
            summit_id,
            lambda tx, viewer: moves.respond(
                tx,
                summit_id,
                number,
                viewer,
                proposal_id=body.proposal,
                verdict=body.verdict,
                note=body.note,
            ),
            write=True,
            short=True,
        ),
        201,
    )


@router.post(
    "/summits/{summit_id}/rounds/{n}/advance",
    response_model=AdvanceResult,
    summary="Close the current phase now",
    description="Convener only. Closing responses counts missing answers as rejections.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def advance(summit_id: str, caller: Caller, n: str = RoundRef) -> AdvanceResult:
    number = round_number(n)
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: moves.advance(tx, summit_id, number, viewer),
        write=True,
    )
