"""Dependencies of the routes: the database, the bearer token, and the unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NamedTuple, TypeVar

import orjson
from fastapi import Request, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from sqlalchemy.orm import Session

from service.db.engine import Database
from service.domain.errors import Unauthorized
from service.domain.privacy import Viewer
from service.services.auth import authenticate
from service.services.cache import SummitCache, use_cache
from service.services.solving import SolverPool
from service.settings import Settings

T = TypeVar("T")


class Access(NamedTuple):
    """What a route needs to act for its caller: database, token, settings, solver, cache."""

    db: Database
    token: str | None
    settings: Settings
    solver: SolverPool
    cache: SummitCache


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
        return Access(state.db, token, state.settings, state.solver, state.cache)


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
    caller: Access, summit_id: str, work: Callable[[Session, Viewer], T], *, write: bool
) -> T:
    """Run ``work`` in one transaction with the caller identified, the database's way."""

    def job() -> T:
        with transaction(caller, write=write) as session:
            return work(session, authenticate(session, summit_id, caller.token))

    return await caller.db.run(job)


@contextmanager
def transaction(caller: Access, *, write: bool) -> Iterator[Session]:
    """Open a transaction whose services use the app's summit cache (call it in a thread)."""
    with caller.db.transaction(write=write) as session:
        yield use_cache(session, caller.cache)
