"""Routes: the solver's answers about a summit (conflicts, repair, mediation, frontiers)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from service.analysis.solve import Limits
from service.api.deps import Access, Caller, in_unit
from service.api.ratelimit import limit_solver
from service.api.schemas.analysis import (
    ConflictsRead,
    FrontierRead,
    RepairRead,
    RepairRequest,
    SuggestionsRead,
)
from service.api.schemas.common import errors
from service.services import analysis

router = APIRouter(tags=["solver"])

TimeLimitQuery = Query(
    default=None,
    gt=0,
    allow_inf_nan=False,
    description="Seconds the search may take, at most the server's PARLEY_SOLVER_TIME_LIMIT "
    "(its default).",
)


def _limits(caller: Access, seconds: float | None) -> Limits:
    settings = caller.settings
    return analysis.limits_for(seconds, settings.solver_time_limit, settings.solver_workers)


@router.get(
    "/summits/{summit_id}/conflicts",
    response_model=ConflictsRead,
    response_model_exclude_unset=True,
    summary="Can every active red line hold together?",
    description="Minimal conflict sets (red lines no package satisfies together while any "
    "fewer can), each red line redacted for the caller; the witness package for the "
    "convener only.",
    responses=errors(401, 403, 404, 429),
    dependencies=[Depends(limit_solver)],
)
async def get_conflicts(
    summit_id: str,
    caller: Caller,
    limit: int = Query(default=5, ge=1, le=20, description="Most conflict sets to list."),
    time_limit: float | None = TimeLimitQuery,
) -> dict[str, Any]:
    limits = _limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda session, viewer: analysis.conflicts_question(
            session, summit_id, viewer, limit, limits
        ),
        write=False,
    )
    return await question.ask(caller.solver)


@router.post(
    "/summits/{summit_id}/repair",
    response_model=RepairRead,
    response_model_exclude_unset=True,
    summary="The nearest package that breaks no active red line",
    description="Fewest issues of the given package changed, then the least utility lost "
    "by the caller (a delegation with preferences). 409 `no_deal` with the conflicts "
    "when no package keeps every active red line.",
    responses=errors(401, 403, 404, 409, 503, 429),
    dependencies=[Depends(limit_solver)],
)
async def post_repair(
    summit_id: str,
    body: RepairRequest,
    caller: Caller,
    time_limit: float | None = TimeLimitQuery,
) -> dict[str, Any]:
    limits = _limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda session, viewer: analysis.repair_question(
            session, summit_id, viewer, body.package, body.keep, limits
        ),
        write=False,
    )
    return await question.ask(caller.solver)


@router.get(
    "/summits/{summit_id}/mediator/suggestions",
    response_model=SuggestionsRead,
    summary="Mediator suggestions",
    description="The convener only. Packages breaking no active red line that maximise the "
    "objective over the parties with preferences: `nash` (product of gains above "
    "reservation), `maximin` (least gain), `welfare` (total) or `kalai` "
    "(Kalai-Smorodinsky).",
    responses=errors(401, 403, 404, 429),
    dependencies=[Depends(limit_solver)],
)
async def get_suggestions(
    summit_id: str,
    caller: Caller,
    objective: Literal["nash", "maximin", "welfare", "kalai"] = Query(default="nash"),
    limit: int = Query(default=1, ge=1, le=10, description="Most distinct packages to list."),
    floor: list[str] = Query(
        default=[],
        max_length=100,
        description="`party:utility`, repeatable: that party must get at least this much "
        "(default: its reservation value); gains are measured above the floors.",
    ),
    claim: list[str] = Query(
        default=[],
        max_length=100,
        description="`party:utility`, repeatable, kalai only: what that party asks for, in "
        "place of its best possible utility; the text then cuts every claim in the same "
        "proportion, as little as possible.",
    ),
    time_limit: float | None = TimeLimitQuery,
) -> dict[str, Any]:
    limits = _limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda session, viewer: analysis.suggestions_question(
            session, summit_id, viewer, objective, limit, limits, floor, claim
        ),
        write=False,
    )
    return await question.ask(caller.solver)


@router.get(
    "/summits/{summit_id}/mediator/frontier",
    response_model=FrontierRead,
    summary="The Pareto frontier of two parties",
    description="The convener only. Packages breaking no active red line where neither "
    "party can gain without the other losing, from a's best to b's.",
    responses=errors(401, 403, 404, 429),
    dependencies=[Depends(limit_solver)],
)
async def get_frontier(
    summit_id: str,
    caller: Caller,
    a: str = Query(description="The first party."),
    b: str = Query(description="The second party."),
    limit: int = Query(default=50, ge=1, le=500, description="Most points to list."),
    time_limit: float | None = TimeLimitQuery,
) -> dict[str, Any]:
    limits = _limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda session, viewer: analysis.frontier_question(
            session, summit_id, viewer, (a, b), limit, limits
        ),
        write=False,
    )
    return await question.ask(caller.solver)
