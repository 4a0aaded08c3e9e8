"""The FastAPI application: routes, error handlers, and the background work of a worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from service.api.deps import BEARER, BEARER_SCHEME
from service.api.errors import install_error_handlers
from service.api.middleware import RequestGuard
from service.api.ratelimit import Limits
from service.api.routes import (
    analysis,
    records,
    red_lines,
    review,
    rounds,
    schedule,
    stream,
    summits,
)
from service.db.engine import Database
from service.db.listen import listen
from service.db.migrate import migrate
from service.db.repositories.summits import SummitRepository
from service.services.broker import EventBroker, watch_heads
from service.services.cache import SummitCache
from service.services.deadlines import DeadlineKeeper
from service.services.eventlog import PG_CHANNEL
from service.services.solving import SolverPool
from service.settings import Settings, get_settings
from service.web.pages import web_routes

DESCRIPTION = """
Parley holds a multi-party negotiation behind a REST API: an agenda of issues, each party's
named red lines (public or private), preferences, structured rounds of proposals and
responses, a concession ledger and a hash-chained record.

Every error has the shape `{"error": {"code", "message", "details"}}`.
"""

TAGS = [
    {"name": "summits", "description": "Create, list, read, start and abort summits."},
    {
        "name": "red lines and preferences",
        "description": "Red lines, preferences, the checker and concessions.",
    },
    {"name": "rounds", "description": "The simultaneous protocol: proposals, passes, responses."},
    {"name": "record", "description": "The event log, the history and its verification."},
    {
        "name": "solver",
        "description": "CP-SAT analysis: conflicts between red lines, repair, mediator "
        "suggestions and Pareto frontiers.",
    },
]
HOT_PATHS = [
    "/summits/{summit_id}/check",
    "/summits/{summit_id}/rounds/{n}/proposals",
    "/summits/{summit_id}/rounds/{n}/responses",
    "/summits/{summit_id}/events",
    "/summits/{summit_id}/rounds/{n}/pass",
    "/summits/{summit_id}",
    "/summits/{summit_id}/rounds/{n}",
]
# How often a SQLite worker looks for events appended by other processes.
SQLITE_WATCH_SECONDS = 0.5


async def _stop(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel the background tasks and wait for them to end.

    Python 3.11's ``asyncio.wait_for`` can lose a cancellation that arrives as its inner
    wait completes (the task then loops on), so the cancellation is repeated until it takes.
    """
    pending = set(tasks)
    while pending:
        for task in pending:
            task.cancel()
        _done, pending = await asyncio.wait(pending, timeout=0.5)
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            task.result()


def operation_id(route: APIRoute) -> str:
    """Name each operation after its route function (``create_summit``, ``propose``, ...)."""
    return route.name


def document_bearer(app: FastAPI) -> None:
    """List the bearer scheme in the OpenAPI document (``CallerRoute`` requires it per route).

    Each operation's ``security`` comes right after its ``operationId``, where FastAPI put it
    when the token was a dependency: the document is the same, byte for byte.
    """

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            schema.setdefault("components", {}).setdefault("securitySchemes", {})[BEARER] = (
                BEARER_SCHEME
            )
            for operations in schema.get("paths", {}).values():
                for method, operation in operations.items():
                    if "security" in operation:
                        operations[method] = _security_after_id(operation)
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def _security_after_id(operation: dict[str, Any]) -> dict[str, Any]:
    security = operation.pop("security")
    ordered: dict[str, Any] = {}
    for key, value in operation.items():
        ordered[key] = value
        if key == "operationId":
            ordered["security"] = security
    ordered.setdefault("security", security)
    return ordered


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; the database is opened (and migrated) when it starts."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logging.getLogger("parley").setLevel(config.log_level.upper())
        db = Database(config.database_url, write_lock_seconds=config.write_lock_seconds)
        cache = SummitCache(config.cache_summits)
        if config.auto_migrate:
            await asyncio.to_thread(migrate, db)  # once, before serving: a thread is fine
        broker = EventBroker()
        broker.bind(asyncio.get_running_loop())
        keeper = DeadlineKeeper(db, cache, config.deadline_poll_seconds)

        def on_commit(kind: str, summit_id: str) -> None:
            if kind == "event":
                broker.published(summit_id)
            elif kind == "deadline":
                keeper.deadline_changed()

        db.listeners.append(on_commit)
        tasks = [asyncio.create_task(keeper.run(), name="parley-deadlines")]
        if db.dialect == "postgresql":
            tasks.append(
                asyncio.create_task(
                    listen(db.url, PG_CHANNEL, broker.wake, broker.wake_all), name="parley-listen"
                )
            )
        else:

            async def heads(summit_ids: list[str]) -> dict[str, int]:
                def read() -> dict[str, int]:
                    with db.transaction(write=False) as tx:
                        return SummitRepository(tx).event_heads(summit_ids)

                return await db.run(read, write=False)

            tasks.append(asyncio.create_task(watch_heads(broker, heads, SQLITE_WATCH_SECONDS)))
        app.state.db = db
        app.state.cache = cache
        app.state.broker = broker
        app.state.settings = config
        app.state.deadlines = keeper
        app.state.solver = SolverPool(config.solver_concurrency)
        app.state.limits = Limits.from_settings(config)
        try:
            yield
        finally:
            await _stop(tasks)
            app.state.solver.shutdown()
            db.dispose()

    app = FastAPI(
        title="Parley",
        version="0.1.0",
        summary="Multi-party negotiation with explained red lines and a verifiable record.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        # /docs is served from local assets by the web side (no CDN); ReDoc is not shipped.
        docs_url=None,
        redoc_url=None,
        # On, FastAPI looks up OpenTelemetry's providers on every request (2.7 µs).
        telemetry={
            "tracing": config.telemetry,
            "metrics": config.telemetry,
            "logs": config.telemetry,
        },
    )
    install_error_handlers(app)
    document_bearer(app)
    app.add_middleware(RequestGuard, max_body_bytes=config.max_body_bytes)
    # One flat table of routes: FastAPI's include_router wraps each router in a layer that
    # costs as much per request as a whole bare endpoint.
    modules = (summits, red_lines, rounds, records, analysis, review, stream, schedule)
    routes = [route for module in modules for route in module.router.routes]
    for route in routes:
        if isinstance(route, APIRoute):
            route.operation_id = operation_id(route)
    # Routes are matched in order: the moves of a negotiation come first.
    routes.sort(
        key=lambda route: HOT_PATHS.index(route.path) if route.path in HOT_PATHS else len(HOT_PATHS)
    )
    app.router.routes.extend(routes)
    app.router.routes.extend(web_routes())
    return app
