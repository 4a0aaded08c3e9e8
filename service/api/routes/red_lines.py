"""Routes: red lines, preferences, concessions and the checker."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from fastapi.responses import Response

from service.api.deps import Caller, api_router, in_unit, json
from service.api.ratelimit import iso_utc
from service.api.schemas.common import errors, write_errors
from service.api.schemas.limits import INT32_MAX
from service.api.schemas.red_lines import (
    CheckRequest,
    ConcessionCreate,
    PreferencesDoc,
    RedLineCreate,
    RelaxRequest,
)
from service.domain.concessions import RelaxRule
from service.domain.reports import CheckReportView
from service.services import checks, concessions, preferences, red_lines, usage
from service.services.results.concessions import ConcessionRead
from service.services.results.red_lines import (
    CheckCounts,
    PreferencesRead,
    RedLineListed,
    RedLineRelaxed,
)
from service.services.review import opened

router = api_router("red lines and preferences")


@router.post(
    "/summits/{summit_id}/parties/{party}/red-lines",
    status_code=201,
    response_model=RedLineListed,
    summary="Declare a red line",
    description="That party only, in setup or later as a new commitment. Send `expr` (text) "
    "or `constraint` (tree); syntax and domain errors point at the offending token.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def declare_red_line(
    summit_id: str, party: str, body: RedLineCreate, caller: Caller
) -> RedLineListed:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: red_lines.declare(
            tx,
            summit_id,
            party,
            viewer,
            label=body.label,
            expr=body.expr,
            constraint=body.constraint,
            visibility=body.visibility,
            rationale=body.rationale,
            relax=_relax_rule(body),
        ),
        write=True,
    )


def _relax_rule(body: RedLineCreate) -> RelaxRule:
    if body.relax == "never":
        return RelaxRule(relaxable=False)
    return RelaxRule(after_round=None if body.relax is None else body.relax.after_round)


@router.get(
    "/summits/{summit_id}/red-lines",
    response_model=list[RedLineListed],
    summary="List red lines",
    description="The red lines the caller may see; others' private ones show only id, party, "
    "visibility and status.",
    responses=errors(401, 403, 404),
)
async def list_red_lines(
    summit_id: str,
    caller: Caller,
    party: str | None = Query(default=None, description="Only this party's red lines."),
) -> list[RedLineListed]:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: red_lines.list_red_lines(
            tx, summit_id, opened(tx, summit_id, viewer), party
        ),
        write=False,
        # At most 200 rows a party: read on the loop, as the delegations poll it.
        short=True,
    )


@router.post(
    "/summits/{summit_id}/red-lines/{red_line_id}/relax",
    response_model=RedLineRelaxed,
    summary="Relax a red line",
    description="Its owner only: the red line stops binding; the ledger records a concession.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def relax_red_line(
    summit_id: str,
    red_line_id: Annotated[int, Path(ge=1, le=INT32_MAX)],
    caller: Caller,
    body: RelaxRequest | None = None,
) -> RedLineRelaxed:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: red_lines.relax(
            tx, summit_id, red_line_id, viewer, body.note if body else ""
        ),
        write=True,
    )


@router.put(
    "/summits/{summit_id}/parties/{party}/preferences",
    response_model=PreferencesRead,
    summary="Set a party's preferences",
    description="That party or the convener. A linear additive utility; private.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def put_preferences(
    summit_id: str, party: str, body: PreferencesDoc, caller: Caller
) -> PreferencesRead:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: preferences.put_preferences(
            tx, summit_id, party, viewer, body.model_dump()
        ),
        write=True,
    )


@router.get(
    "/summits/{summit_id}/parties/{party}/preferences",
    response_model=PreferencesRead,
    summary="Read a party's preferences",
    description="That party or the convener; anyone once the summit is declassified.",
    responses=errors(401, 403, 404),
)
async def get_preferences(summit_id: str, party: str, caller: Caller) -> PreferencesRead:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: preferences.get_preferences(tx, summit_id, party, viewer),
        write=False,
    )


@router.post(
    "/summits/{summit_id}/check",
    response_model=CheckReportView,
    summary="Check a package",
    description="A full or partial package against every active red line of every party, "
    "redacted for the caller. Anonymous callers see public red lines only, and how many "
    "private ones were not shown (`hidden`). Rate limited per token (429).",
    responses=errors(401, 403, 404, 422, 429),
)
async def check_package(summit_id: str, body: CheckRequest, caller: Caller) -> Response:
    caller.limit_checks(summit_id)
    db, cache = caller.db, caller.cache
    return json(
        await db.run(
            lambda: checks.check_package(db, cache, summit_id, caller.token, body.package),
            write=False,
            # A first check compiles every red line: in a thread, not on the loop.
            short=checks.is_compiled(cache, summit_id),
        )
    )


@router.get(
    "/summits/{summit_id}/checks",
    response_model=CheckCounts,
    summary="How many checks each delegation made",
    description="The convener only. Counted by the worker that answers, since it started "
    "(each worker counts its own checks).",
    responses=errors(401, 403, 404),
)
async def get_check_counts(summit_id: str, caller: Caller) -> CheckCounts:
    limits = caller.limits
    counted = limits.counts.of(summit_id)
    since = iso_utc(limits.started_at)
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: usage.check_counts(tx, summit_id, viewer, counted, since=since),
        write=False,
    )


@router.post(
    "/summits/{summit_id}/concessions",
    status_code=201,
    response_model=ConcessionRead,
    summary="Record an explicit concession",
    description="A party's move on one issue, from one value to another.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def record_concession(
    summit_id: str, body: ConcessionCreate, caller: Caller
) -> ConcessionRead:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: concessions.record_concession(
            tx,
            summit_id,
            viewer,
            issue=body.issue,
            before=body.from_,
            after=body.to,
            note=body.note,
        ),
        write=True,
        inputs="body",
        short=True,
    )


@router.get(
    "/summits/{summit_id}/concessions",
    response_model=list[ConcessionRead],
    summary="The concession ledger",
    description="Every concession in order: explicit, derived from proposals, relaxed red lines.",
    responses=errors(401, 403, 404),
)
async def list_concessions(summit_id: str, caller: Caller) -> list[ConcessionRead]:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: concessions.list_concessions(tx, summit_id, viewer),
        write=False,
    )
