"""Routes: summits (create, list, read, start, abort)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from service.api.deps import DB, AppSettings, Token, unit_of_work
from service.api.schemas.common import errors
from service.api.schemas.summits import (
    AbortRequest,
    SummitCreate,
    SummitCreated,
    SummitPage,
    SummitRead,
)
from service.services import summits
from service.services.auth import admin_allowed

router = APIRouter(tags=["summits"])


@router.post(
    "/summits",
    status_code=201,
    response_model=SummitCreated,
    summary="Create a summit",
    description="Creates a summit in setup and returns one bearer token per role, once. "
    "Needs the admin token when the server was started with PARLEY_ADMIN_TOKEN.",
    responses=errors(401, 403, 422),
)
def create_summit(body: SummitCreate, db: DB, token: Token, config: AppSettings) -> dict[str, Any]:
    admin = config.admin_token.get_secret_value() if config.admin_token else None
    admin_allowed(token, admin)
    with db.transaction(write=True) as session:
        return summits.create_summit(
            session,
            title=body.title,
            issues=[issue.model_dump(exclude_none=True) for issue in body.issues],
            parties=[party.model_dump() for party in body.parties],
            protocol=body.protocol.model_dump(),
        )


@router.get(
    "/summits",
    response_model=SummitPage,
    summary="List summits",
    description="Newest first, paged, optionally by status.",
    responses=errors(422),
)
def list_summits(
    db: DB,
    status: str | None = Query(default=None, description="setup, open or concluded"),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> dict[str, Any]:
    with db.transaction(write=False) as session:
        return summits.list_summits(session, status=status, limit=limit, offset=offset)


@router.get(
    "/summits/{summit_id}",
    response_model=SummitRead,
    summary="Read a summit",
    description="Status, outcome, settlement, agenda, parties, and where the round stands.",
    responses=errors(401, 403, 404),
)
def get_summit(summit_id: str, db: DB, token: Token) -> dict[str, Any]:
    with unit_of_work(db, summit_id, token, write=False) as (session, _viewer):
        return summits.get_summit(session, summit_id)


@router.post(
    "/summits/{summit_id}/start",
    response_model=SummitRead,
    summary="Start the summit",
    description="Convener only: setup → open; round 1 opens in phase proposals.",
    responses=errors(401, 403, 404, 409),
)
def start_summit(summit_id: str, db: DB, token: Token) -> dict[str, Any]:
    with unit_of_work(db, summit_id, token, write=True) as (session, viewer):
        return summits.start_summit(session, summit_id, viewer)


@router.post(
    "/summits/{summit_id}/abort",
    response_model=SummitRead,
    summary="Abort the summit",
    description="Convener only: ends a summit that has not concluded, with outcome aborted.",
    responses=errors(401, 403, 404, 409, 422),
)
def abort_summit(
    summit_id: str, db: DB, token: Token, body: AbortRequest | None = None
) -> dict[str, Any]:
    with unit_of_work(db, summit_id, token, write=True) as (session, viewer):
        return summits.abort_summit(session, summit_id, viewer, body.reason if body else "")
