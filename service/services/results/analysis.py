"""The solver's answers as the services give them: conflicts, repairs, suggestions, frontiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from service.analysis.feasibility import Feasibility
from service.analysis.mediation import Mediation
from service.domain.privacy import Role, Viewer
from service.domain.reports import CheckReportView
from service.services.results.common import Package
from service.services.results.red_lines import RedLineRead, red_line_read

CACHED_DOC = "Whether the answer came from memory: the same request on an unchanged summit."
Cached = Annotated[bool, Field(description=CACHED_DOC)]


@dataclass(frozen=True)
class ConflictSet:
    """Red lines that no package satisfies together, while any fewer of them can hold."""

    red_lines: Annotated[
        list[RedLineRead], Field(description="Redacted for the caller like /red-lines.")
    ]


@dataclass(frozen=True)
class ConflictsRead:
    """Whether every active red line can hold together, and if not, what blocks it."""

    feasible: Annotated[
        bool | None,
        Field(
            description="Whether some package breaks no active red line; null when the time "
            "limit ran out before the solver could tell."
        ),
    ]
    conflicts: Annotated[
        list[ConflictSet], Field(description="Minimal conflict sets, up to the limit.")
    ]
    witness: Annotated[
        Package | None,
        Field(description="A package breaking no active red line (the convener only)."),
    ]
    exhaustive: Annotated[
        bool, Field(description="Whether the conflicts listed are all there are.")
    ]
    timed_out: Annotated[bool, Field(description="Whether the time limit cut the search short.")]
    seconds: Annotated[float, Field(description="How long the search took.")]
    cached: Cached


@dataclass(frozen=True)
class RepairRead:
    """The nearest package that breaks no active red line."""

    package: Annotated[Package, Field(description="A full package breaking no active red line.")]
    changed: Annotated[
        list[str], Field(description="Issues of the given package whose values changed.")
    ]
    check: CheckReportView
    status: Annotated[
        str,
        Field(
            description="optimal (fewest changes, then least loss for the caller, proved) or "
            "feasible (the time limit cut the proof short)"
        ),
    ]
    seconds: float
    cached: Cached


@dataclass(frozen=True)
class Suggestion:
    """A package for the mediator, with what it is worth to each party."""

    package: Package
    utilities: Annotated[dict[str, float], Field(description="Each party with preferences.")]
    objective: str
    value: Annotated[
        float,
        Field(
            description="nash: product of gains above reservation; maximin: least gain; "
            "welfare: total utility; kalai: the equal share of each party's best possible gain."
        ),
    ]
    pareto_optimal: Annotated[
        bool | None,
        Field(
            description="No package keeping every red line is as good for all and better for "
            "one (null when the time limit left it open)."
        ),
    ]
    status: Annotated[
        str, Field(description="optimal, or feasible when the time limit cut the proof short")
    ]
    bound: Annotated[float | None, Field(description="The best value any package could reach.")]
    gap: Annotated[
        float | None, Field(description="nash: relative distance between value and bound.")
    ]


@dataclass(frozen=True)
class SuggestionsRead:
    """Mediator suggestions for one objective, best first."""

    objective: str
    parties: Annotated[list[str], Field(description="The parties with preferences: those counted.")]
    floors: Annotated[
        dict[str, float],
        Field(
            description="Each party's floor: its reservation value unless the request raised it."
        ),
    ]
    suggestions: list[Suggestion]
    reason: Annotated[
        str | None, Field(description="Why there are fewer suggestions than asked, if so.")
    ]
    timed_out: bool
    seconds: float
    cached: Cached


@dataclass(frozen=True)
class FrontierPoint:
    """A package on the frontier and the two parties' utilities."""

    package: Package
    utilities: dict[str, float]


@dataclass(frozen=True)
class FrontierRead:
    """The two parties' Pareto frontier, from the first party's best to the second's."""

    parties: list[str]
    points: list[FrontierPoint]
    complete: Annotated[
        bool, Field(description="Whether the walk reached the end of the frontier.")
    ]
    timed_out: Annotated[bool, Field(description="Whether the time limit cut the walk short.")]
    seconds: float
    cached: Cached


def conflicts_read(result: Feasibility, viewer: Viewer, cached: bool) -> ConflictsRead:
    """Write a feasibility answer for ``viewer``: redacted red lines, witness for the convener."""
    return ConflictsRead(
        feasible=result.feasible,
        conflicts=[
            ConflictSet(red_lines=[red_line_read(red_line, viewer) for red_line in conflict])
            for conflict in result.conflicts
        ],
        witness=result.witness if viewer.role is Role.CONVENER else None,
        exhaustive=result.exhausted,
        timed_out=result.timed_out,
        seconds=round(result.seconds, 4),
        cached=cached,
    )


def suggestions_read(result: Mediation, cached: bool) -> SuggestionsRead:
    """Write mediator suggestions (for the convener)."""
    return SuggestionsRead(
        objective=result.objective,
        parties=result.parties,
        floors=result.floors,
        suggestions=[
            Suggestion(
                package=s.package,
                utilities=s.utilities,
                objective=s.objective,
                value=s.value,
                pareto_optimal=s.pareto_optimal,
                status=s.status,
                bound=s.bound,
                gap=s.gap,
            )
            for s in result.suggestions
        ],
        reason=result.reason,
        timed_out=result.timed_out,
        seconds=round(result.seconds, 4),
        cached=cached,
    )
