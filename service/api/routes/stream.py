"""Route: a summit's event log as server-sent events, live and resumable.

The stream sends every event after ``Last-Event-ID`` (or ``after``), redacted for the caller
exactly as ``GET /events`` redacts it, then waits on the same broker as the long poll, so a
move made through any worker reaches every open stream at once. Each message's ``id`` is the
event's ``seq``: a browser (or any SSE client) that reconnects with it misses nothing and sees
nothing twice. When the summit has concluded and its last event is sent, an ``end`` message
closes the stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import get_args

import orjson
from fastapi import Header, Query
from sse_starlette import EventSourceResponse, ServerSentEvent

from service.api.deps import Caller, api_router, in_unit
from service.api.schemas.common import errors
from service.api.schemas.events import EventRead
from service.api.schemas.limits import INT32_MAX
from service.domain.errors import InvalidInput
from service.services import records
from service.services.results.events import EventView

router = api_router("record")
# How long one wait on the broker lasts before the stream looks again (pings keep it open).
WAIT_SECONDS = 15.0
PING_SECONDS = 15
BATCH = 1000


# One message of the stream, as OpenAPI models a server-sent event: an event of the log as
# JSON (the models GET /events documents) with its seq as id, or the closing `end` message.
_EVENT_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "required": ["data", "id"],
            "properties": {
                "event": {"type": "string", "const": "message"},
                "id": {"type": "string", "description": "The event's seq."},
                "data": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {
                        "oneOf": [
                            {"$ref": f"#/components/schemas/{model.__name__}"}
                            for model in get_args(get_args(EventRead)[0])
                        ]
                    },
                },
            },
        },
        {
            "type": "object",
            "required": ["event"],
            "properties": {
                "event": {"type": "string", "const": "end"},
                "data": {"type": "string", "maxLength": 0},
            },
        },
    ]
}


def _resume_point(after: int, last_event_id: str | None) -> int:
    """Return the seq to resume after: the larger of ``after`` and ``Last-Event-ID``."""
    if last_event_id is None or not last_event_id.strip():
        return after
    text = last_event_id.strip()
    if not (text.isascii() and text.isdigit() and int(text) <= INT32_MAX):
        raise InvalidInput(
            "Last-Event-ID must be the seq of an event this stream sent",
            details={
                "errors": [
                    {
                        "loc": ["header", "Last-Event-ID"],
                        "message": f"{text[:40]!r} is not an event seq",
                        "allowed": f"an integer from 0 to {INT32_MAX}",
                    }
                ]
            },
        )
    return max(after, int(text))


def _message(event: EventView) -> ServerSentEvent:
    return ServerSentEvent(data=orjson.dumps(event).decode(), id=str(event.seq), sep="\n")


@router.get(
    "/summits/{summit_id}/stream",
    summary="Follow the event log (server-sent events)",
    description="A `text/event-stream` of the events after `Last-Event-ID` (or `after`), "
    "redacted for the caller as `GET /events` is; each message's `id` is the event's seq and "
    "its data the event as JSON. Comments keep the connection open; an `end` message closes "
    "it once the summit has concluded and every event is sent.",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": "Messages whose data is an event (as in GET /events), then `end`.",
            "content": {"text/event-stream": {"schema": _EVENT_SCHEMA}},
        },
        **errors(401, 403, 404, 422),
    },
)
async def stream_events(
    summit_id: str,
    caller: Caller,
    after: int = Query(
        default=0, ge=0, le=INT32_MAX, description="Send events with seq greater than this."
    ),
    last_event_id: str | None = Header(
        default=None, alias="Last-Event-ID", description="Resume after this seq."
    ),
) -> EventSourceResponse:
    start = _resume_point(after, last_event_id)
    # Read once before answering: an unknown summit or a bad token is a JSON error, not a stream.
    first, finished = await _read(caller, summit_id, start)
    return EventSourceResponse(
        _events(caller, summit_id, start, first, finished),
        ping=PING_SECONDS,
        sep="\n",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _read(caller: Caller, summit_id: str, after: int) -> tuple[list[EventView], bool]:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: records.list_events(tx, summit_id, viewer, after=after, limit=BATCH),
        write=False,
    )


async def _events(
    caller: Caller,
    summit_id: str,
    start: int,
    first: list[EventView],
    finished: bool,
) -> AsyncIterator[ServerSentEvent]:
    cursor = start
    ended = finished

    async def fetch() -> list[EventView]:
        nonlocal ended
        found, ended = await _read(caller, summit_id, cursor)
        return found

    batch = first
    while True:
        for event in batch:
            cursor = event.seq
            yield _message(event)
        if len(batch) == BATCH:
            batch = await fetch()
        elif ended:
            yield ServerSentEvent(data="", event="end", sep="\n")
            return
        else:
            batch = await caller.broker.wait_for(summit_id, cursor, fetch, WAIT_SECONDS)
