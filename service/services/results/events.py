"""An event of the log as the services answer it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EventView:
    """An event of the log, its data redacted for the caller.

    ``data`` is the stored payload of its type (``results.event_data``) as JSON; the API's
    ``EventRead`` types it per event type.
    """

    seq: int
    at: str
    type: str
    actor: str
    data: dict[str, Any]
    hash: str
