"""The convener's change to a summit's clock (PATCH /summits/{id}/protocol)."""

from __future__ import annotations

from pydantic import Field

from service.api.schemas.common import Model
from service.api.schemas.limits import MAX_PHASE_SECONDS, PhaseSeconds


class ProtocolUpdate(Model):
    """Set either or both; a field left out is left as it is, null clears it."""

    phase_seconds: PhaseSeconds = Field(
        default=None,
        strict=True,  # a number: true is not one second
        description="The length of every phase that opens from now on, in seconds "
        f"(0 < s <= {MAX_PHASE_SECONDS:g}); null: no deadline.",
        examples=[300],
    )
    deadline_in_seconds: PhaseSeconds = Field(
        default=None,
        strict=True,
        description="The phase now running ends this many seconds from now (same range); "
        "null: it has no deadline. Only while the summit is open.",
        examples=[120],
    )
