"""Route: the convener sets a summit's phase deadlines while it runs."""

from __future__ import annotations

from service.api.deps import Caller, api_router, in_unit
from service.api.schemas.common import write_errors
from service.api.schemas.schedule import ProtocolUpdate
from service.services.results.summits import SummitRead
from service.services.schedule import set_schedule

router = api_router("summits")


@router.patch(
    "/summits/{summit_id}/protocol",
    response_model=SummitRead,
    summary="Set the phase deadlines",
    description="Convener only, before the summit concludes: `phase_seconds` sets the length "
    "of every phase that opens from now on, `deadline_in_seconds` moves the deadline of the "
    "phase now running (open summits only); null clears either. Appends a `protocol.changed` "
    "event; every worker's deadline keeper, long poll and event stream sees the change.",
    responses=write_errors(401, 403, 404, 409, 422),
)
async def set_protocol(summit_id: str, body: ProtocolUpdate, caller: Caller) -> SummitRead:
    changes = body.model_dump(exclude_unset=True)
    return await in_unit(
        caller,
        summit_id,
        lambda tx, viewer: set_schedule(tx, summit_id, viewer, changes),
        write=True,
        inputs="body",
    )
