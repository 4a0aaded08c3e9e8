"""A check report as one viewer reads it: the shapes ``privacy.ReportWriter`` writes.

Redaction is in the types: an entry for a red line the viewer may not see is a
``CheckEntryHidden``, which has no label, expression or issues at all, so it cannot leak them.
The classes are frozen and shared between reports; they are plain dataclasses (no slots),
which the service's JSON encoder (orjson) writes as fast as dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.checker import Status, Verdict, Visibility


@dataclass(frozen=True)
class CheckEntryHidden:
    """A red line's status alone: the caller may not see the red line's content."""

    id: int
    party: str
    visibility: Visibility
    status: Status


@dataclass(frozen=True)
class CheckEntry(CheckEntryHidden):
    """A red line's status with its label, expression and issues."""

    label: str
    expr: str
    issues: list[str]


@dataclass(frozen=True)
class CheckEntryExplained(CheckEntry):
    """A red line the package breaks (or leaves undetermined), with why."""

    explanation: str


# Most specific first: a reader tries them in this order.
AnyCheckEntry = CheckEntryExplained | CheckEntry | CheckEntryHidden


@dataclass(frozen=True)
class StatusCounts:
    """How many red lines the report finds satisfied, violated and undetermined."""

    satisfied: int
    violated: int
    undetermined: int


@dataclass(frozen=True)
class CheckReportView:
    """A package against every active red line of every party, as the caller may see it.

    ``hidden`` counts the red lines checked but not shown: for an anonymous caller, the
    private ones (verdict and counts then cover the public red lines alone); 0 for everyone
    else.
    """

    complete: bool
    verdict: Verdict
    counts: StatusCounts
    red_lines: list[AnyCheckEntry]
    hidden: int
