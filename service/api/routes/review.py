"""Routes: reviewing a summit (state at a point, diffs, utilities, measures, declassification)."""

from __future__ import annotations

import asyncio

from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from service.api.deps import Caller, api_router, in_unit, json
from service.api.routes.analysis import TimeLimitQuery, solver_limits
from service.api.schemas.common import errors, write_errors
from service.api.schemas.limits import INT32_MAX, MAX_ROUNDS
from service.api.schemas.review import DeclassifyRequest
from service.domain.reviews import ReviewDiff, ReviewState, ReviewUtilities
from service.services import outcome, report, review
from service.services.results.review import (
    ChartsRead,
    ChartsWithPlaneRead,
    DeclassifyRead,
    MeasuresRead,
    OwnMeasures,
)

router = api_router("review")
PairQuery = Query(
    default=None, description="The two parties of the utility plane (default: the first two)."
)


async def _plan(
    caller: Caller, summit_id: str, time_limit: float | None, pair: list[str] | None
) -> report.ReportPlan:
    limits = solver_limits(caller, time_limit)
    plan = await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: report.plan_report(tx, summit_id, viewer, limits, pair),
        write=False,
        inputs="query",
    )
    await report.run_searches(plan, caller.solver)
    return plan


@router.get(
    "/summits/{summit_id}/state",
    response_model=ReviewState,
    summary="The state of the summit at a round or an event",
    description="Replayed from the event log: the agenda, every red line with its status "
    "then (redacted for the caller), each party's last position, the round's proposals, "
    "responses and concessions, the concessions so far. `round=N`: at the end of round N; "
    "`seq=S`: just after event S; neither: now. Utilities for the parties the caller may "
    "see (everyone's once the summit is declassified).",
    responses=errors(401, 403, 404, 422),
)
async def get_state(
    summit_id: str,
    caller: Caller,
    round_number: int | None = Query(
        default=None, alias="round", ge=1, le=MAX_ROUNDS, description="At the end of this round."
    ),
    seq: int | None = Query(default=None, ge=1, le=INT32_MAX, description="Just after this event."),
) -> Response:
    return json(
        await in_unit(
            caller,
            summit_id,
            lambda tx, viewer: review.state(
                tx, summit_id, viewer, round_number=round_number, seq=seq
            ),
            write=False,
            inputs="query",
        )
    )


@router.get(
    "/summits/{summit_id}/diff",
    response_model=ReviewDiff,
    summary="What moved between two rounds",
    description="For each party, the issues on which its last position at the end of round "
    "`to` differs from that at the end of round `from` (from what to what), the red lines "
    "relaxed and the concessions recorded in between.",
    responses=errors(401, 403, 404, 422),
)
async def get_diff(
    summit_id: str,
    caller: Caller,
    from_: int = Query(alias="from", ge=1, le=MAX_ROUNDS, description="The earlier round."),
    to: int = Query(ge=1, le=MAX_ROUNDS, description="The later round."),
) -> ReviewDiff:
    # Written by its schema, not orjson: the schema names ``from_`` "from".
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: review.diff(tx, summit_id, viewer, first=from_, second=to),
        write=False,
        inputs="query",
    )


@router.get(
    "/summits/{summit_id}/utilities",
    response_model=ReviewUtilities,
    summary="Utilities of every proposal and of the settlement",
    description="For each party the caller may see (the convener all, a delegation its own, "
    "an anonymous caller none; everyone once declassified): the utility of every proposal, "
    "of the settlement, and its trajectory over the rounds.",
    responses=errors(401, 403, 404),
)
async def get_utilities(summit_id: str, caller: Caller) -> Response:
    return json(
        await in_unit(
            caller,
            summit_id,
            lambda tx, viewer: review.utilities(tx, summit_id, viewer),
            write=False,
        )
    )


@router.get(
    "/summits/{summit_id}/measures",
    response_model=MeasuresRead | OwnMeasures,
    summary="How good the outcome was",
    description="For the settlement (or `proposal`): Pareto-optimal or not, the largest gain "
    "every party could have had at once, the distances in utility space to the Nash, Kalai "
    "and maximum-welfare packages, each party's gain over its reservation value; each "
    "marked `optimal` when proved. The joint measures are the convener's (everyone's once "
    "declassified); a delegation reads its own numbers only.",
    responses=errors(401, 403, 404, 409, 422, 429),
)
async def get_measures(
    summit_id: str,
    caller: Caller,
    proposal: int | None = Query(
        default=None, ge=1, le=INT32_MAX, description="Measure this proposal."
    ),
    time_limit: float | None = TimeLimitQuery,
) -> MeasuresRead | OwnMeasures:
    caller.limit_solver()
    limits = solver_limits(caller, time_limit)
    question = await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: outcome.measures_question(tx, summit_id, viewer, proposal, limits),
        write=False,
        inputs="query",
    )
    if isinstance(question, OwnMeasures):
        return question
    return await question.ask(caller.solver)


@router.post(
    "/summits/{summit_id}/declassify",
    status_code=201,
    response_model=DeclassifyRead,
    summary="Declassify a concluded summit for its debrief",
    description="Convener only, once the summit has concluded (409 before, and 409 the second "
    "time): appends a `summit.declassified` event to the chain, after which every caller "
    "reads the review (state, utilities, measures, report) with private red lines, "
    "preferences and utilities included.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def post_declassify(
    summit_id: str, caller: Caller, body: DeclassifyRequest | None = None
) -> DeclassifyRead:
    note = body.note if body is not None else ""
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: review.declassify(tx, summit_id, viewer, note),
        write=True,
    )


@router.get(
    "/summits/{summit_id}/report",
    response_model=None,
    summary="The debrief: one self-contained HTML file",
    description="The record by round, the concession ledger, the charts (plotly, inlined: "
    "the file opens offline), the outcome's measures and the chain's verification with its "
    "head hash, redacted for the caller's role as the review endpoints are.",
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        **errors(401, 403, 404, 422, 429),
    },
)
async def get_report(
    summit_id: str,
    caller: Caller,
    party: list[str] | None = PairQuery,
    time_limit: float | None = TimeLimitQuery,
) -> HTMLResponse:
    caller.limit_solver()
    plan = await _plan(caller, summit_id, time_limit, party)
    html = await asyncio.to_thread(report.render_report, plan)
    return HTMLResponse(html)


@router.get(
    "/summits/{summit_id}/charts",
    response_model=ChartsWithPlaneRead | ChartsRead,
    summary="The review's charts as plotly figures",
    description="`utility` (each party's utility of the proposals over the rounds), "
    "`timeline` (the concessions) and, when the caller may see two parties' utilities, "
    "`plane` (every proposal, the Pareto frontier, the Nash and Kalai points, the "
    "settlement): plotly JSON figures, redacted like the report.",
    responses=errors(401, 403, 404, 422, 429),
)
async def get_charts(
    summit_id: str,
    caller: Caller,
    party: list[str] | None = PairQuery,
    time_limit: float | None = TimeLimitQuery,
) -> Response:
    caller.limit_solver()
    plan = await _plan(caller, summit_id, time_limit, party)
    return json(await asyncio.to_thread(report.figures_json, plan))
