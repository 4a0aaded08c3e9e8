"""Routes: summits (create, list, read, start, abort)."""

from __future__ import annotations

from fastapi import Query

from service.api.deps import Caller, api_router, in_unit, transaction
from service.api.schemas.common import errors, write_errors
from service.api.schemas.limits import INT32_MAX
from service.api.schemas.summits import AbortRequest, SummitCreate
from service.domain.errors import InvalidInput
from service.domain.protocol import SummitStatus
from service.services import summits
from service.services.auth import admin_allowed
from service.services.results.summits import SummitCreated, SummitPage, SummitRead

router = api_router("summits")


@router.post(
    "/summits",
    status_code=201,
    response_model=SummitCreated,
    summary="Create a summit",
    description="Creates a summit in setup and returns one bearer token per role, once. "
    "Needs the admin token when the server was started with PARLEY_ADMIN_TOKEN.",
    responses=write_errors(401, 403, 422),
)
async def create_summit(body: SummitCreate, caller: Caller) -> SummitCreated:
    config = caller.settings
    admin = config.admin_token.get_secret_value() if config.admin_token else None
    admin_allowed(caller.token, admin)

    def create() -> SummitCreated:
        with transaction(caller, write=True) as tx:
            return summits.create_summit(
                tx,
                title=body.title,
                issues=[issue.model_dump(exclude_none=True) for issue in body.issues],
                parties=[party.model_dump() for party in body.parties],
                protocol=body.protocol.model_dump(),
            )

    return await caller.db.run(create)


@router.get(
    "/summits",
    response_model=SummitPage,
    summary="List summits",
    description="Newest first, paged, optionally by status.",
    responses=errors(422),
)
async def list_summits(
    caller: Caller,
    status: str | None = Query(default=None, description="setup, open or concluded"),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=INT32_MAX),
) -> SummitPage:
    wanted = None
    if status is not None:
        if status not in set(SummitStatus):
            raise InvalidInput(
                f"unknown status {status!r}",
                details={
                    "errors": [
                        {
                            "loc": ["query", "status"],
                            "message": "unknown status",
                            "allowed": [s.value for s in SummitStatus],
                        }
                    ]
                },
            )
        wanted = SummitStatus(status)

    def page() -> SummitPage:
        with transaction(caller, write=False) as tx:
            return summits.list_summits(tx, status=wanted, limit=limit, offset=offset)

    return await caller.db.run(page, write=False)


@router.get(
    "/summits/{summit_id}",
    response_model=SummitRead,
    summary="Read a summit",
    description="Status, outcome, settlement, agenda, parties, and where the round stands.",
    responses=errors(401, 403, 404),
)
async def get_summit(summit_id: str, caller: Caller) -> SummitRead:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, _viewer: summits.get_summit(tx, summit_id),
        write=False,
        short=True,  # one summit and its parties: read on the loop, as the delegations poll it
    )


@router.post(
    "/summits/{summit_id}/start",
    response_model=SummitRead,
    summary="Start the summit",
    description="Convener only: setup → open; round 1 opens in phase proposals.",
    responses=write_errors(401, 403, 404, 409),
)
async def start_summit(summit_id: str, caller: Caller) -> SummitRead:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: summits.start_summit(tx, summit_id, viewer),
        write=True,
    )


@router.post(
    "/summits/{summit_id}/abort",
    response_model=SummitRead,
    summary="Abort the summit",
    description="Convener only: ends a summit that has not concluded, with outcome aborted.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def abort_summit(
    summit_id: str, caller: Caller, body: AbortRequest | None = None
) -> SummitRead:
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: summits.abort_summit(tx, summit_id, viewer, body.reason if body else ""),
        write=True,
    )
