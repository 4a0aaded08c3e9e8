"""Who sees what: the viewer of a response and the redacted views of red lines and checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from service.domain.agenda import Agenda, Package
from service.domain.checker import CheckReport, RedLine, Status, Visibility
from service.domain.redline.explain import explain
from service.domain.redline.nodes import issues_of
from service.domain.redline.tree import node_to_json


class Role(StrEnum):
    """The roles of API.md."""

    CONVENER = "convener"
    DELEGATION = "delegation"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller a response is written for."""

    role: Role
    party: str | None = None

    def sees_private(self, party: str | None) -> bool:
        """Say whether this viewer may read ``party``'s private red lines and preferences."""
        return self.role is Role.CONVENER or (self.role is Role.DELEGATION and party == self.party)

    def sees_proposal(self, author: str | None) -> bool:
        """Say whether this viewer may read a sealed proposal by ``author`` (None: mediator)."""
        if self.role is Role.CONVENER:
            return True
        return self.role is Role.DELEGATION and author is not None and author == self.party

    @property
    def actor(self) -> str:
        """Return how the event log names this viewer when it acts."""
        if self.role is Role.DELEGATION:
            return f"party:{self.party}"
        return self.role.value


ANONYMOUS = Viewer(Role.ANONYMOUS)
CONVENER_VIEW = Viewer(Role.CONVENER)


def red_line_view(red_line: RedLine, viewer: Viewer) -> dict[str, Any]:
    """Return a red line as ``viewer`` may see it (API.md's red-line shape)."""
    out: dict[str, Any] = {
        "id": red_line.id,
        "party": red_line.party,
        "visibility": red_line.visibility.value,
        "status": red_line.status.value,
    }
    if red_line.visibility is Visibility.PUBLIC or viewer.sees_private(red_line.party):
        out["label"] = red_line.label
        out["expr"] = red_line.expr
        out["constraint"] = node_to_json(red_line.constraint)
        out["rationale"] = red_line.rationale
        out["issues"] = list(issues_of(red_line.constraint))
    return out


def visible(red_line: RedLine, viewer: Viewer) -> bool:
    """Say whether ``viewer`` may read the content of ``red_line``."""
    return red_line.visibility is Visibility.PUBLIC or viewer.sees_private(red_line.party)


def check_entry(
    red_line: RedLine, status: Status, viewer: Viewer, package: Package, agenda: Agenda
) -> dict[str, Any]:
    """Return one red line's line of a check report as ``viewer`` may see it."""
    entry: dict[str, Any] = {
        "id": red_line.id,
        "party": red_line.party,
        "visibility": red_line.visibility.value,
        "status": status.value,
    }
    if visible(red_line, viewer):
        entry["label"] = red_line.label
        entry["expr"] = red_line.expr
        entry["issues"] = list(issues_of(red_line.constraint))
        if status is not Status.SATISFIED:
            entry["explanation"] = explain(red_line.constraint, package, agenda)
    return entry


def report_view(
    *,
    complete: bool,
    verdict: str,
    statuses: Sequence[tuple[RedLine, Status]],
    viewer: Viewer,
    package: Package,
    agenda: Agenda,
) -> dict[str, Any]:
    """Return a check report (API.md's shape) redacted for ``viewer``, red lines by id."""
    entries = [
        check_entry(red_line, status, viewer, package, agenda)
        for red_line, status in sorted(statuses, key=lambda pair: pair[0].id)
    ]
    counts = {status.value: 0 for status in Status}
    for _, status in statuses:
        counts[status.value] += 1
    return {"complete": complete, "verdict": verdict, "counts": counts, "red_lines": entries}


def live_report_view(
    report: CheckReport, viewer: Viewer, package: Package, agenda: Agenda
) -> dict[str, Any]:
    """Return a freshly computed check report redacted for ``viewer``."""
    return report_view(
        complete=report.complete,
        verdict=report.verdict.value,
        statuses=report.statuses(),
        viewer=viewer,
        package=package,
        agenda=agenda,
    )


def compact_report(report: CheckReport) -> dict[str, Any]:
    """Return the storable form of a report: ids, parties and statuses only (nothing private)."""
    return {
        "complete": report.complete,
        "verdict": report.verdict.value,
        "red_lines": [
            {"id": rl.id, "party": rl.party, "status": status.value}
            for rl, status in sorted(report.statuses(), key=lambda pair: pair[0].id)
        ],
    }


def stored_report_view(
    stored: Mapping[str, Any],
    red_lines: Mapping[int, RedLine],
    viewer: Viewer,
    package: Package,
    agenda: Agenda,
) -> dict[str, Any]:
    """Return a stored compact report expanded and redacted for ``viewer``."""
    statuses = [
        (red_lines[entry["id"]], Status(entry["status"]))
        for entry in stored["red_lines"]
        if entry["id"] in red_lines
    ]
    return report_view(
        complete=stored["complete"],
        verdict=stored["verdict"],
        statuses=statuses,
        viewer=viewer,
        package=package,
        agenda=agenda,
    )
