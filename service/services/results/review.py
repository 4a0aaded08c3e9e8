"""The review's typed results: the outcome's measures, the charts, the declassification.

Frozen dataclasses, as the other services' results (``service.services.results``): the API's
response schemas are these types (pydantic metadata documents them; it is not HTTP). What a
caller may not read is left out by type, not by a null: a delegation's own measures are an
``OwnMeasures``, with no joint measure at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from service.analysis.measures import JointGain, Measures, Target
from service.domain.agenda import Package


@dataclass(frozen=True)
class _MeasuredPackage:
    summit: str
    proposal: int | None
    package: Package
    declassified: bool


@dataclass(frozen=True)
class OwnMeasures(_MeasuredPackage):
    """The measures a caller who sees only its own utility reads (no search runs).

    The joint measures (Pareto, gap, distances) need every party's preferences: the
    convener's, or everyone's once the summit is declassified.
    """

    restricted: Literal[True]
    parties: list[str]
    utilities: dict[str, float]
    reservations: dict[str, float]
    gains_over_reservation: dict[str, float]
    cached: bool


@dataclass(frozen=True)
class MeasuresRead(_MeasuredPackage):
    """How good a package (the settlement, or a proposal) is for the parties: every measure."""

    restricted: Literal[False]
    parties: list[str]
    utilities: dict[str, float]
    reservations: dict[str, float]
    gains_over_reservation: dict[str, float]
    pareto_optimal: bool | None
    joint_gain: Annotated[
        JointGain,
        Field(
            description="The largest gain every party could have had at once (its status: "
            "optimal when proved, feasible at the time limit, unknown)."
        ),
    ]
    targets: Annotated[
        dict[str, Target],
        Field(
            description="The Nash, Kalai and welfare packages and the distance to each "
            "(status optimal when proved, feasible at the time limit, none)."
        ),
    ]
    timed_out: bool
    seconds: float
    cached: bool


def measures_read(
    result: Measures, *, summit: str, proposal: int | None, declassified: bool, cached: bool
) -> MeasuresRead:
    """Return every measure of ``result`` (for the convener, or anyone once declassified)."""
    return MeasuresRead(
        summit=summit,
        proposal=proposal,
        declassified=declassified,
        package=result.package,
        restricted=False,
        parties=result.parties,
        utilities=result.utilities,
        reservations=result.reservations,
        gains_over_reservation=result.gains_over_reservation,
        pareto_optimal=result.pareto_optimal,
        joint_gain=result.joint,
        targets=result.targets,
        timed_out=result.timed_out,
        seconds=round(result.seconds, 4),
        cached=cached,
    )


@dataclass(frozen=True)
class ChartsRead:
    """The review's charts as plotly figures (``{"data": [...], "layout": {...}}``)."""

    utility: Annotated[dict[str, Any], Field(description="Each party's utility of the proposals.")]
    timeline: Annotated[dict[str, Any], Field(description="The concessions, round by round.")]


@dataclass(frozen=True)
class ChartsWithPlaneRead(ChartsRead):
    """The charts with the plane of two parties' utilities (a caller who may see both)."""

    plane: Annotated[
        dict[str, Any],
        Field(
            description="Two parties' utilities: proposals, frontier, Nash and Kalai, settlement."
        ),
    ]


@dataclass(frozen=True)
class DeclassifyRead:
    """The declassification event."""

    summit: str
    declassified: Literal[True]
    seq: int
    at: str
    hash: str
    note: str
