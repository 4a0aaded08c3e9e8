"""Dependencies of the routes: the database, the bearer token, and the unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

import orjson
from fastapi import Request, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer

from service.api.ratelimit import Limits
from service.db.engine import Database
from service.db.transaction import Transaction
from service.domain.errors import InvalidInput, Unauthorized
from service.domain.privacy import Viewer
from service.services.auth import authenticate
from service.services.cache import SummitCache, use_cache
from service.services.solving import SolverPool
from service.settings import Settings

T = TypeVar("T")
Where = Literal["body", "query", "path"]


class Access(NamedTuple):
    """What a route needs to act for its caller: database, token, settings, solver, cache.

    ``limits`` are the app's rate limits and ``address`` the caller's, which limits a caller
    without a token.
    """

    db: Database
    token: str | None
    settings: Settings
    solver: SolverPool
    cache: SummitCache
    limits: Limits
    address: str

    def limit_checks(self, summit_id: str) -> None:
        """Spend one of the caller's checks at ``summit_id`` (429 when none is left)."""
        self.limits.spend_check(summit_id, self.token, self.address)

    def limit_solver(self) -> None:
        """Spend one of the caller's solver questions (429 when none is left)."""
        self.limits.spend_solver(self.token, self.address)


class _BearerAccess(HTTPBearer):
    """The bearer scheme (documented in OpenAPI) and the route's one dependency.

    A missing token means an anonymous caller; a malformed Authorization header is 401.
    """

    async def __call__(self, request: Request) -> Access:  # type: ignore[override]
        header = request.headers.get("authorization")
        token = None
        if header is not None:
            scheme, _sep, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                raise Unauthorized("the Authorization header must read 'Bearer <token>'")
            token = value.strip()
        state = request.app.state
        address = request.client.host if request.client else "unknown"
        return Access(
            state.db, token, state.settings, state.solver, state.cache, state.limits, address
        )


_access = _BearerAccess(
    auto_error=False,
    scheme_name="token",
    description="A token returned by POST /summits: the convener's or a party's. "
    "Without one, a caller reads public data only.",
)
Caller = Annotated[Access, Security(_access)]


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
    caller: Access,
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
    work (the moves of a negotiation) may run on the loop instead (see ``Database.run``).
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
def transaction(caller: Access, *, write: bool) -> Iterator[Transaction]:
    """Open a transaction whose services use the app's summit cache (call it in a thread)."""
    with caller.db.transaction(write=write) as tx:
        yield use_cache(tx, caller.cache)
