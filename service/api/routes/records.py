"""Routes: the event log (with long poll), the history and its verification."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Query
from fastapi.responses import PlainTextResponse, Response

from service.api.deps import Caller, api_router, in_unit, json
from service.api.schemas.common import errors
from service.api.schemas.events import EventRead
from service.api.schemas.limits import INT32_MAX
from service.domain.errors import InvalidInput
from service.services import records
from service.services.history_formats import history_csv, history_markdown
from service.services.results.events import EventView
from service.services.results.records import HistoryRead, VerifyRead
from service.services.review import opened

router = api_router("record")


@router.get(
    "/summits/{summit_id}/events",
    response_model=list[EventRead],
    summary="Read the event log (long poll)",
    description="Events after `after`, redacted for the caller. With `wait`, the request is "
    "held until the next event is appended (it answers at once when one is) or `wait` "
    "seconds pass.",
    responses=errors(401, 403, 404, 422),
)
async def list_events(
    summit_id: str,
    caller: Caller,
    after: int = Query(
        default=0,
        ge=0,
        le=INT32_MAX,
        description="Return events with seq greater than this.",
    ),
    wait: float = Query(
        default=0, ge=0, allow_inf_nan=False, description="Seconds to wait for a new event."
    ),
    limit: int = Query(default=1000, ge=1, le=10_000),
) -> Response:
    if wait > caller.settings.max_wait_seconds:
        raise InvalidInput(
            f"wait may be at most {caller.settings.max_wait_seconds:g} seconds",
            details={
                "errors": [
                    {
                        "loc": ["query", "wait"],
                        "message": "too long",
                        "allowed": f"0 to {caller.settings.max_wait_seconds:g}",
                    }
                ]
            },
        )

    async def fetch_now() -> tuple[list[EventView], bool]:
        return await in_unit(
            caller,
            summit_id,
            lambda tx, viewer: records.list_events(tx, summit_id, viewer, after=after, limit=limit),
            write=False,
        )

    async def fetch() -> list[EventView]:
        found, _finished = await fetch_now()
        return found

    first, finished = await fetch_now()
    if not (first or finished or wait == 0):
        first = await caller.broker.wait_for(summit_id, after, fetch, wait)
    return json(first)


@router.get(
    "/summits/{summit_id}/history",
    response_model=HistoryRead,
    summary="The whole record",
    description="By round, with the per-party concession ledger; `format` json (default), csv "
    "(one row per move) or markdown (a readable report). Redacted for the caller.",
    responses={
        200: {
            "description": "The record as JSON, CSV or Markdown (by `format`).",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "text/markdown": {"schema": {"type": "string"}},
            },
        },
        **errors(401, 403, 404, 422),
    },
)
async def get_history(
    summit_id: str,
    caller: Caller,
    format: Literal["json", "csv", "markdown"] = Query(default="json"),
) -> Any:
    document = await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: records.history(tx, summit_id, opened(tx, summit_id, viewer)),
        write=False,
    )
    if format == "csv":
        return PlainTextResponse(history_csv(document), media_type="text/csv")
    if format == "markdown":
        return Response(history_markdown(document), media_type="text/markdown; charset=utf-8")
    return document


@router.get(
    "/summits/{summit_id}/history/verify",
    response_model=VerifyRead,
    summary="Verify the hash chain",
    description="Convener only: recompute every event's hash and report the first that does "
    "not fit.",
    responses=errors(401, 403, 404),
)
async def verify_history(summit_id: str, caller: Caller) -> VerifyRead:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: records.verify(tx, summit_id, viewer),
        write=False,
    )
