"""Request and response shapes of the solver: conflicts, repair, suggestions, frontiers."""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.api.schemas.common import Model, PackageField, PackageIn
from service.api.schemas.limits import Key
from service.domain.reports import CheckReportView
from service.services.results.common import Package
from service.services.results.red_lines import RedLineRead

CACHED_DOC = "Whether the answer came from memory: the same request on an unchanged summit."


class ConflictSet(BaseModel):
    """Red lines that no package satisfies together, while any fewer of them can hold."""

    red_lines: list[RedLineRead] = Field(description="Redacted for the caller like /red-lines.")


class ConflictsRead(BaseModel):
    """Whether every active red line can hold together, and if not, what blocks it."""

    feasible: bool | None = Field(
        description="Whether some package breaks no active red line; null when the time "
        "limit ran out before the solver could tell."
    )
    conflicts: list[ConflictSet] = Field(description="Minimal conflict sets, up to the limit.")
    witness: Package | None = Field(
        description="A package breaking no active red line (the convener only)."
    )
    exhaustive: bool = Field(description="Whether the conflicts listed are all there are.")
    timed_out: bool = Field(description="Whether the time limit cut the search short.")
    seconds: float = Field(description="How long the search took.")
    cached: bool = Field(description=CACHED_DOC)


class RepairRequest(Model):
    """A package to repair, full or partial."""

    package: PackageIn = PackageField
    keep: list[Key] = Field(
        default_factory=list,
        max_length=1000,
        description="Issues of the package that must keep their values.",
    )


class RepairRead(BaseModel):
    """The nearest package that breaks no active red line."""

    package: Package = Field(description="A full package breaking no active red line.")
    changed: list[str] = Field(description="Issues of the given package whose values changed.")
    check: CheckReportView
    status: str = Field(
        description="optimal (fewest changes, then least loss for the caller, proved) or "
        "feasible (the time limit cut the proof short)"
    )
    seconds: float
    cached: bool = Field(description=CACHED_DOC)


class Suggestion(BaseModel):
    """A package for the mediator, with what it is worth to each party."""

    package: Package
    utilities: dict[str, float] = Field(description="Each party with preferences.")
    objective: str
    value: float = Field(
        description="nash: product of gains above reservation; maximin: least gain; welfare: "
        "total utility; kalai: the equal share of each party's best possible gain."
    )
    pareto_optimal: bool | None = Field(
        description="No package keeping every red line is as good for all and better for one "
        "(null when the time limit left it open)."
    )
    status: str = Field(description="optimal, or feasible when the time limit cut the proof short")
    bound: float | None = Field(description="The best value any package could reach.")
    gap: float | None = Field(
        default=None, description="nash: relative distance between value and bound."
    )


class SuggestionsRead(BaseModel):
    """Mediator suggestions for one objective, best first."""

    objective: str
    parties: list[str] = Field(description="The parties with preferences: those counted.")
    floors: dict[str, float] = Field(
        description="Each party's floor: its reservation value unless the request raised it."
    )
    suggestions: list[Suggestion]
    reason: str | None = Field(description="Why there are fewer suggestions than asked, if so.")
    timed_out: bool
    seconds: float
    cached: bool = Field(description=CACHED_DOC)


class FrontierPoint(BaseModel):
    """A package on the frontier and the two parties' utilities."""

    package: Package
    utilities: dict[str, float]


class FrontierRead(BaseModel):
    """The two parties' Pareto frontier, from the first party's best to the second's."""

    parties: list[str]
    points: list[FrontierPoint]
    complete: bool = Field(description="Whether the walk reached the end of the frontier.")
    timed_out: bool = Field(description="Whether the time limit cut the walk short.")
    seconds: float
    cached: bool = Field(description=CACHED_DOC)
