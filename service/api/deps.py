"""What the routes act with: the caller (its token and the app's parts), and the unit of work."""

from __future__ import annotations

import email.message
import inspect
import json as stdlib_json
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar, cast

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic_core import from_json
from starlette.types import Receive, Scope

from service.api.ratelimit import Limits
from service.db.engine import Database
from service.db.transaction import Transaction
from service.domain.errors import InvalidInput, Unauthorized
from service.domain.privacy import Viewer
from service.services.auth import authenticate
from service.services.broker import EventBroker
from service.services.cache import SummitCache, use_cache
from service.services.solving import SolverPool
from service.settings import Settings

T = TypeVar("T")
Where = Literal["body", "query", "path"]


class Caller(Request):
    """A request to an API route, as the route sees it: who calls, and the app's parts.

    ``token`` is the caller's bearer token (None for an anonymous caller). A malformed
    Authorization header is a 401 when the request reaches its route, after only a body
    that is not JSON (422), as when the token was a FastAPI dependency. The app's database,
    settings, solver, cache and rate limits are read off the app.
    """

    def __init__(self, scope: Scope, receive: Receive) -> None:
        super().__init__(scope, receive)
        header = self.headers.get("authorization")
        try:
            self._token, self._refusal = _bearer_token(header), None
        except Unauthorized as refusal:
            self._token, self._refusal = None, refusal
        self._document: Any = _UNREAD

    @property
    def token(self) -> str | None:
        """The bearer token, or None without one (a malformed header raises its 401)."""
        if self._refusal is not None:
            raise self._refusal
        return self._token

    @property
    def refused(self) -> bool:
        """Say whether the Authorization header is malformed (the request is then a 401)."""
        return self._refusal is not None

    async def refuse(self, *, reads_body: bool) -> None:
        """Raise the 401 of the malformed Authorization header, unless FastAPI answers first.

        It does when the route reads a JSON body and the body is not JSON (a 422). Call it
        when ``refused``.
        """
        assert self._refusal is not None
        if reads_body and await self._unreadable():
            return
        raise self._refusal

    async def _unreadable(self) -> bool:
        """Say whether FastAPI, reading this request's body, would fail to parse it."""
        content_type = self.headers.get("content-type")
        if not content_type or not await self.body():
            return False
        message = email.message.Message()  # how FastAPI reads the content type
        message["content-type"] = content_type
        subtype = message.get_content_subtype()
        if message.get_content_maintype() != "application" or not (
            subtype == "json" or subtype.endswith("+json")
        ):
            return False
        try:
            await self.json()
        except Exception:  # any failure to parse is FastAPI's to answer
            return True
        return False

    async def json(self) -> Any:
        """Read the body as JSON, as the standard library reads it, in a third of the time.

        pydantic's reader (jiter) reads what it can; what it refuses (a lone surrogate, 200
        levels of nesting, text that is not JSON) goes to the standard library's, so every
        body reads, or fails to, exactly as before.
        """
        if self._document is _UNREAD:
            body = await self.body()
            try:
                # Keys only are kept between requests (issue keys, field names): no text a
                # user wrote stays in the reader's cache.
                self._document = from_json(body, cache_strings="keys")
            except ValueError:
                self._document = stdlib_json.loads(body)
        return self._document

    @property
    def db(self) -> Database:
        """The app's database."""
        return cast(Database, self.app.state.db)

    @property
    def settings(self) -> Settings:
        """The app's settings."""
        return cast(Settings, self.app.state.settings)

    @property
    def solver(self) -> SolverPool:
        """The app's pool of solver processes."""
        return cast(SolverPool, self.app.state.solver)

    @property
    def cache(self) -> SummitCache:
        """The app's summit cache."""
        return cast(SummitCache, self.app.state.cache)

    @property
    def broker(self) -> EventBroker:
        """The app's broker, which wakes the requests that wait for a summit's next event."""
        return cast(EventBroker, self.app.state.broker)

    @property
    def limits(self) -> Limits:
        """The app's rate limits."""
        return cast(Limits, self.app.state.limits)

    @property
    def address(self) -> str:
        """The caller's address, which limits a caller without a token."""
        client = self.client
        return client.host if client else "unknown"

    def limit_checks(self, summit_id: str) -> None:
        """Spend one of the caller's checks at ``summit_id`` (429 when none is left)."""
        self.limits.spend_check(summit_id, self.token, self.address)

    def limit_solver(self) -> None:
        """Spend one of the caller's solver questions (429 when none is left)."""
        self.limits.spend_solver(self.token, self.address)


_UNREAD = object()


def _bearer_token(header: str | None) -> str | None:
    """Read a bearer token from an Authorization header; None when there is no header."""
    if header is None:
        return None
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("the Authorization header must read 'Bearer <token>'")
    return value.strip()


# The bearer scheme as OpenAPI documents it; every route that takes a Caller requires it.
BEARER_SCHEME = {
    "type": "http",
    "description": "A token returned by POST /summits: the convener's or a party's. "
    "Without one, a caller reads public data only.",
    "scheme": "bearer",
}
BEARER = "token"


class CallerRoute(APIRoute):
    """An API route whose endpoint may take a ``Caller`` (the request, with its token read).

    The caller is not a FastAPI dependency: resolving one cost a request about 15 µs, as
    much as a tenth of a check. OpenAPI still lists the bearer scheme on each such route.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        requests = [
            name
            for name, parameter in inspect.signature(endpoint, eval_str=True).parameters.items()
            if isinstance(parameter.annotation, type) and issubclass(parameter.annotation, Request)
        ]
        if len(requests) > 1:
            # FastAPI fills one request parameter only: the others would be missing.
            raise TypeError(f"{endpoint.__name__} takes {requests}: a route takes one Caller")
        super().__init__(path, endpoint, **kwargs)
        if self.dependant.request_param_name is not None:
            self.openapi_extra = {"security": [{BEARER: []}], **(self.openapi_extra or {})}

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Hand the endpoint a ``Caller`` instead of a plain request."""
        handler = super().get_route_handler()
        if self.dependant.request_param_name is None:
            return handler
        reads_body = self.body_field is not None

        async def with_caller(request: Request) -> Response:
            caller = Caller(request.scope, request.receive)
            if caller.refused:
                await caller.refuse(reads_body=reads_body)
            return await handler(caller)

        return with_caller


def api_router(tag: str) -> APIRouter:
    """Return a router of API routes under ``tag``, whose endpoints may take a ``Caller``."""
    return APIRouter(tags=[tag], route_class=CallerRoute)


class FastJSON(JSONResponse):
    """JSON encoded by orjson."""

    def render(self, content: Any) -> bytes:
        """Encode the body."""
        return orjson.dumps(content)


def json(content: Any, status_code: int = 200) -> Response:
    """Answer JSON that a hot route built itself, without re-validating it.

    Tests check those bodies against the routes' declared models, so the two cannot drift.
    """
    return FastJSON(content, status_code=status_code)


async def in_unit(
    caller: Caller,
    summit_id: str,
    work: Callable[[Transaction, Viewer], T],
    *,
    write: bool,
    inputs: Where | None = None,
    short: bool = False,
) -> T:
    """Run ``work`` in one transaction with the caller identified, in a database thread.

    ``inputs`` names the part of the request whose fields the service's input errors locate
    (their ``loc`` then starts with it): services know their arguments, not HTTP. ``short``
    work (the moves of a negotiation, the small reads delegations poll) may run on the loop
    instead (see ``Database.run``).
    """

    def job() -> T:
        with transaction(caller, write=write) as tx:
            return work(tx, authenticate(tx, summit_id, caller.token))

    if inputs is None:
        return await caller.db.run(job, write=write, short=short)
    with located(inputs):
        return await caller.db.run(job, write=write, short=short)


@contextmanager
def located(where: Where) -> Iterator[None]:
    """Put ``where`` (body, query or path) first in the location of each input error raised."""
    try:
        yield
    except InvalidInput as error:
        details = error.details
        if isinstance(details, dict):
            for item in details.get("errors", []):
                item["loc"] = [where, *item.get("loc", [])]
        raise


def round_number(ref: str) -> int | None:
    """Read a round reference of a path: a positive number, or ``current`` (None)."""
    if ref == "current":
        return None
    # isascii: str.isdigit() also holds for digits int() refuses, such as '²'.
    if ref.isascii() and ref.isdigit() and 0 < int(ref) < 10**6:
        return int(ref)
    raise InvalidInput(
        f"round {ref[:20]!r} is not a round number: expected 1 to 999999 or 'current'",
        details={
            "errors": [
                {
                    "loc": ["path", "n"],
                    "message": "expected a positive integer or 'current'",
                    "allowed": "1 to 999999, or current",
                }
            ]
        },
    )


@contextmanager
def transaction(caller: Caller, *, write: bool) -> Iterator[Transaction]:
    """Open a transaction whose services use the app's summit cache (call it in a thread)."""
    with caller.db.transaction(write=write) as tx:
        yield use_cache(tx, caller.cache)
