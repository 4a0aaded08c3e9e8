"""Request shapes of summits (the answers are ``service.services.results.summits``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from service.api.schemas.common import Model
from service.api.schemas.limits import (
    KEY_LENGTH,
    MAX_ISSUES,
    MAX_OPTIONS,
    MAX_PARTIES,
    IssueBound,
    Key,
    PhaseSeconds,
    Rounds,
)


class IssueSpec(Model):
    """An issue of the agenda."""

    key: str = Field(
        max_length=KEY_LENGTH, description="^[a-z][a-z0-9_]{0,62}$", examples=["assad_role"]
    )
    title: str = Field(default="", max_length=200)
    kind: str = Field(description="options, integer or boolean")
    options: list[Key] | None = Field(
        default=None,
        max_length=MAX_OPTIONS,
        description="For kind options: ordered option keys (comparisons use order).",
    )
    min: IssueBound = Field(default=None, description="For kind integer: the lowest value.")
    max: IssueBound = Field(default=None, description="For kind integer: the highest value.")
    description: str = Field(default="", max_length=2000)
    option_descriptions: dict[Key, Annotated[str, Field(max_length=2000)]] | None = Field(
        default=None, max_length=MAX_OPTIONS, description="A one-line description per option."
    )


class PartySpec(Model):
    """A delegation at the table."""

    key: str = Field(max_length=KEY_LENGTH, examples=["kurds"])
    name: str = Field(default="", max_length=200, examples=["Kurdish-led administration"])


class ProtocolSpec(Model):
    """How rounds run."""

    name: Literal["simultaneous"] = "simultaneous"
    max_rounds: Rounds = Field(examples=[10])
    phase_seconds: PhaseSeconds = Field(
        default=None, description="Deadline of each phase in seconds; none when null."
    )
    mediated: bool = Field(
        default=False,
        description="When true, the proposals phase also waits for the convener's mediator "
        "text (or pass).",
    )


class SummitCreate(Model):
    """A new summit."""

    title: str = Field(min_length=1, max_length=200)
    issues: list[IssueSpec] = Field(min_length=1, max_length=MAX_ISSUES)
    parties: list[PartySpec] = Field(min_length=2, max_length=MAX_PARTIES)
    protocol: ProtocolSpec


class AbortRequest(Model):
    """Why the convener ends the summit."""

    reason: str = Field(default="", max_length=2000)
