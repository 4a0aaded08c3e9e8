"""Dependencies of the routes: the database, the bearer token, and the unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from service.db.engine import Database
from service.domain.errors import Unauthorized
from service.domain.privacy import Viewer
from service.services.auth import authenticate
from service.settings import Settings

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A token returned by POST /summits: the convener's or a party's. "
    "Without one, a caller reads public data only.",
)


async def bearer_token(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]
) -> str | None:
    """Return the bearer token, None without one; a malformed header is 401."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("the Authorization header must read 'Bearer <token>'")
    return value.strip()


async def database(request: Request) -> Database:
    """Return the app's database."""
    db: Database = request.app.state.db
    return db


async def settings(request: Request) -> Settings:
    """Return the app's settings."""
    value: Settings = request.app.state.settings
    return value


Token = Annotated[str | None, Depends(bearer_token)]
DB = Annotated[Database, Depends(database)]
AppSettings = Annotated[Settings, Depends(settings)]


@contextmanager
def unit_of_work(
    db: Database, summit_id: str, token: str | None, *, write: bool
) -> Iterator[tuple[Session, Viewer]]:
    """Open a transaction and identify the caller at this summit within it."""
    with db.transaction(write=write) as session:
        yield session, authenticate(session, summit_id, token)
