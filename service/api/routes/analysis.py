"""Routes: the solver's answers about a summit (conflicts, repair, mediation, frontiers)."""

from __future__ import annotations

import math
from typing import Any, Literal

from fastapi import Query

from service.analysis.solve import Limits
from service.api.deps import Caller, api_router, in_unit
from service.api.schemas.analysis import RepairRequest
from service.api.schemas.common import errors
from service.domain.errors import InvalidInput
from service.services import analysis
from service.services.results.analysis import (
    ConflictsRead,
    FrontierRead,
    RepairRead,
    SuggestionsRead,
)

router = api_router("solver")

TimeLimitQuery = Query(
    default=None,
    gt=0,
    allow_inf_nan=False,
    description="Seconds the search may take, at most the server's PARLEY_SOLVER_TIME_LIMIT "
    "(its default).",
)


def solver_limits(caller: Caller, seconds: float | None) -> Limits:
    """Return the limits of one search: the caller's time limit, at most the server's."""
    ceiling = caller.settings.solver_time_limit
    if seconds is not None and seconds > ceiling:
        raise InvalidInput(
            f"time_limit {seconds} is above this server's limit of {ceiling} seconds",
            details={
                "errors": [
                    {
                        "loc": ["query", "time_limit"],
                        "message": "above the server's solver time limit",
                        "allowed": f"0 < time_limit <= {ceiling}",
                    }
                ]
            },
        )
    chosen = seconds if seconds is not None else ceiling
    return Limits(seconds=chosen, workers=caller.settings.solver_workers)


def _utilities(texts: list[str], name: str) -> list[tuple[str, float]]:
    """Read ``party:utility`` query values; the service judges the parties."""
    pairs: list[tuple[str, float]] = []
    errors: list[dict[str, Any]] = []
    for i, text in enumerate(texts):
        party, _, number = text.partition(":")
        try:
            value = float(number)
        except ValueError:
            value = math.nan
        if not 0.0 <= value <= 1.0:
            errors.append(
                {
                    "loc": ["query", name, i],
                    "message": f"'{text}' is not party:utility",
                    "allowed": "0 to 1",
                }
            )
        pairs.append((party, value))
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})
    return pairs


@router.get(
    "/summits/{summit_id}/conflicts",
    response_model=ConflictsRead,
    summary="Can every active red line hold together?",
    description="Minimal conflict sets (red lines no package satisfies together while any "
    "fewer can), each red line redacted for the caller; the witness package for the "
    "convener only.",
    responses=errors(401, 403, 404, 429),
)
async def get_conflicts(
    summit_id: str,
    caller: Caller,
    limit: int = Query(default=5, ge=1, le=20, description="Most conflict sets to list."),
    time_limit: float | None = TimeLimitQuery,
) -> ConflictsRead:
    caller.limit_solver()
    limits = solver_limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: analysis.conflicts_question(tx, summit_id, viewer, limit, limits),
        write=False,
    )
    return await question.ask(caller.solver)


@router.post(
    "/summits/{summit_id}/repair",
    response_model=RepairRead,
    summary="The nearest package that breaks no active red line",
    description="Fewest issues of the given package changed, then the least utility lost "
    "by the caller (a delegation with preferences). 409 `no_deal` with the conflicts "
    "when no package keeps every active red line.",
    responses=errors(401, 403, 404, 409, 503, 429),
)
async def post_repair(
    summit_id: str,
    body: RepairRequest,
    caller: Caller,
    time_limit: float | None = TimeLimitQuery,
) -> RepairRead:
    caller.limit_solver()
    limits = solver_limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: analysis.repair_question(
            tx, summit_id, viewer, body.package, body.keep, limits
        ),
        write=False,
        inputs="body",
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
) -> SuggestionsRead:
    caller.limit_solver()
    limits = solver_limits(caller, time_limit)
    floors, claims = _utilities(floor, "floor"), _utilities(claim, "claim")
    question = await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: analysis.suggestions_question(
            tx, summit_id, viewer, objective, limit, limits, floors, claims
        ),
        write=False,
        inputs="query",
    )
    return await question.ask(caller.solver)


@router.get(
    "/summits/{summit_id}/mediator/frontier",
    response_model=FrontierRead,
    summary="The Pareto frontier of two parties",
    description="The convener only. Packages breaking no active red line where neither "
    "party can gain without the other losing, from a's best to b's.",
    responses=errors(401, 403, 404, 429),
)
async def get_frontier(
    summit_id: str,
    caller: Caller,
    a: str = Query(description="The first party."),
    b: str = Query(description="The second party."),
    limit: int = Query(default=50, ge=1, le=500, description="Most points to list."),
    time_limit: float | None = TimeLimitQuery,
) -> FrontierRead:
    caller.limit_solver()
    limits = solver_limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: analysis.frontier_question(tx, summit_id, viewer, (a, b), limit, limits),
        write=False,
        inputs="query",
    )
    return await question.ask(caller.solver)
