"""A red line: a party's named hard constraint, its visibility and whether it still binds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from service.domain.redline.nodes import Node


class Visibility(StrEnum):
    """Who may read a red line's label, expression and rationale."""

    PUBLIC = "public"
    PRIVATE = "private"


class RedLineStatus(StrEnum):
    """A red line binds while active; relaxing it is a concession."""

    ACTIVE = "active"
    RELAXED = "relaxed"


@dataclass(frozen=True, slots=True)
class RedLine:
    """A hard constraint a party will not sign away."""

    id: int
    party: str
    label: str
    expr: str
    constraint: Node
    visibility: Visibility = Visibility.PUBLIC
    status: RedLineStatus = RedLineStatus.ACTIVE
    rationale: str = ""

    @property
    def active(self) -> bool:
        """Say whether the red line binds."""
        return self.status is RedLineStatus.ACTIVE
