"""Who sees what: the viewer of a response and the redacted views of red lines and checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from service.domain.agenda import Agenda, Package
from service.domain.checker import CheckReport, Status, Verdict, verdict_of
from service.domain.redline.explain import Explainer, compile_explainer
from service.domain.redline.nodes import issues_of
from service.domain.redline.red_line import RedLine, Visibility
from service.domain.redline.tree import node_to_json
from service.domain.reports import (
    AnyCheckEntry,
    CheckEntry,
    CheckEntryExplained,
    CheckEntryHidden,
    CheckReportView,
    StatusCounts,
)


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
    declassified: bool = False  # the summit was declassified: every private thing is open

    def sees_private(self, party: str | None) -> bool:
        """Say whether this viewer may read ``party``'s private red lines and preferences."""
        return (
            self.declassified
            or self.role is Role.CONVENER
            or (self.role is Role.DELEGATION and party == self.party)
        )

    def sees(self, red_line: RedLine) -> bool:
        """Say whether this viewer may read a red line's text: public, or private to it."""
        return red_line.visibility is Visibility.PUBLIC or self.sees_private(red_line.party)

    def hides_concession_secrets(self, party: str, visibility: str | None) -> tuple[bool, bool]:
        """Say whether a concession of ``party`` hides its utility change, and its note.

        Both are private to the party and the convener, the note only when the concession
        relaxed a private red line (``visibility``).
        """
        if self.sees_private(party):
            return False, False
        return True, visibility == Visibility.PRIVATE.value

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
    if viewer.sees(red_line):
        out["label"] = red_line.label
        out["expr"] = red_line.expr
        out["constraint"] = node_to_json(red_line.constraint)
        out["rationale"] = red_line.rationale
        out["issues"] = list(issues_of(red_line.constraint))
    return out


_EXPLANATION_MEMO = 4096
_STATUS = {True: Status.SATISFIED, False: Status.VIOLATED, None: Status.UNDETERMINED}


class _Entry:
    """What a check report says of one red line, prepared once.

    Entries without an explanation are shared between reports: they are frozen.
    """

    __slots__ = (
        "_agenda",
        "_explained",
        "_explainer",
        "hidden",
        "issues",
        "public",
        "read",
        "red_line",
        "satisfied",
    )

    def __init__(self, red_line: RedLine, agenda: Agenda) -> None:
        self.public = red_line.visibility is Visibility.PUBLIC
        self.issues = issues_of(red_line.constraint)
        rid, party, visibility = red_line.id, red_line.party, red_line.visibility
        self.hidden = {s: CheckEntryHidden(rid, party, visibility, s) for s in Status}
        # A reader of the red line is shown this when the package satisfies it (otherwise an
        # explained entry, which depends on the package).
        self.satisfied = CheckEntry(
            rid, party, visibility, Status.SATISFIED, red_line.label, red_line.expr, [*self.issues]
        )
        self.read: Mapping[Status, AnyCheckEntry] = {Status.SATISFIED: self.satisfied}
        self.red_line, self._agenda = red_line, agenda
        self._explainer: Explainer | None = None  # compiled on first use
        # Explained entries by status and the values of the red line's own issues.
        self._explained: dict[tuple[object, ...], CheckEntryExplained] = {}

    def view(self, status: Status, shown: bool, package: Package) -> AnyCheckEntry:
        if not shown:
            return self.hidden[status]
        if status is Status.SATISFIED:
            return self.satisfied
        # Values are never None, so a missing issue shows as None in the key; the entry (its
        # status and explanation) depends only on those values.
        key = (status, *map(package.get, self.issues))
        found = self._explained.get(key)
        if found is None:
            if self._explainer is None:
                self._explainer = compile_explainer(self.red_line.constraint, self._agenda)
            rl = self.red_line
            found = CheckEntryExplained(
                rl.id,
                rl.party,
                rl.visibility,
                status,
                rl.label,
                rl.expr,
                [*self.issues],
                self._explainer(package),
            )
            if len(self._explained) < _EXPLANATION_MEMO:
                self._explained[key] = found
        return found


class ReportWriter:
    """Writes check reports over a summit's red lines, redacted for each viewer.

    Built once per set of red lines (the service caches it beside the checker), so a report
    costs a shared entry per red line and an explanation per visible failing one.
    """

    def __init__(
        self, agenda: Agenda, red_lines: Sequence[RedLine], checked: Sequence[RedLine]
    ) -> None:
        unique = {rl.id: rl for rl in (*red_lines, *checked)}
        self._by_id = {rid: _Entry(rl, agenda) for rid, rl in unique.items()}
        # The checker's order, and the permutation that lists its red lines by id.
        self._checked = [self._by_id[rl.id] for rl in checked]
        self._by_id_order = sorted(range(len(checked)), key=lambda i: checked[i].id)
        self._ordered = tuple((i, self._checked[i]) for i in self._by_id_order)
        # Each viewer's views of the red lines that do not depend on the package (in id
        # order), found on its first report. They are the entries' own (nothing is copied):
        # a summit has a few viewers (its parties, the convener, each after declassification).
        self._fixed: dict[Viewer, tuple[Mapping[Status, AnyCheckEntry], ...]] = {}

    def live(self, report: CheckReport, viewer: Viewer, package: Package) -> CheckReportView:
        """Write a report the checker just computed (its outcomes are in checker order)."""
        outcomes = report.outcomes
        checked = self._checked
        if viewer.role is Role.ANONYMOUS:
            pairs = [(checked[i], _STATUS[outcomes[i]]) for i in self._by_id_order]
            return _public_report(report.complete, pairs, package)
        fixed = self._fixed.get(viewer)
        if fixed is None:
            fixed = self._fixed[viewer] = tuple(
                entry.read if viewer.sees(entry.red_line) else entry.hidden
                for _i, entry in self._ordered
            )
        entries: list[AnyCheckEntry] = []
        for (i, entry), views in zip(self._ordered, fixed, strict=True):
            status = _STATUS[outcomes[i]]
            found = views.get(status)
            entries.append(found if found is not None else entry.view(status, True, package))
        counts = StatusCounts(outcomes.count(True), outcomes.count(False), outcomes.count(None))
        return CheckReportView(report.complete, report.verdict, counts, entries, 0)

    def stored(
        self, stored: Mapping[str, Any], viewer: Viewer, package: Package
    ) -> CheckReportView:
        """Write a report stored by ``compact_report``."""
        violated, undetermined = set(stored["violated"]), set(stored["undetermined"])
        pairs: list[tuple[_Entry, Status]] = []
        for red_line_id in stored["checked"]:
            entry = self._by_id.get(red_line_id)
            if entry is None:
                continue
            status = (
                Status.VIOLATED
                if red_line_id in violated
                else Status.UNDETERMINED
                if red_line_id in undetermined
                else Status.SATISFIED
            )
            pairs.append((entry, status))
        if viewer.role is Role.ANONYMOUS:
            return _public_report(stored["complete"], pairs, package)
        entries = [
            entry.view(status, viewer.sees(entry.red_line), package) for entry, status in pairs
        ]
        return CheckReportView(
            stored["complete"], Verdict(stored["verdict"]), _counts(entries), entries, 0
        )


def _counts(entries: Sequence[AnyCheckEntry]) -> StatusCounts:
    statuses = [entry.status for entry in entries]
    return StatusCounts(
        statuses.count(Status.SATISFIED),
        statuses.count(Status.VIOLATED),
        statuses.count(Status.UNDETERMINED),
    )


def _public_report(
    complete: bool, pairs: Sequence[tuple[_Entry, Status]], package: Package
) -> CheckReportView:
    """Write a report for an anonymous caller: public red lines only, and how many were not.

    Verdict and counts cover the public red lines alone, so that no status of a private red
    line can be inferred from them (nor, over many checks, its threshold).
    """
    entries = [entry.view(status, True, package) for entry, status in pairs if entry.public]
    counts = _counts(entries)
    verdict = verdict_of(violated=counts.violated > 0, undetermined=counts.undetermined > 0)
    return CheckReportView(complete, verdict, counts, entries, len(pairs) - len(entries))


def compact_report(report: CheckReport) -> dict[str, Any]:
    """Return the storable form of a report: red-line ids by outcome (nothing private).

    ``checked`` lists every red line that was active; the others it lists as violated or
    undetermined; the rest of ``checked`` was satisfied. ``private`` names the private ones,
    so that a reader of the record can withhold their statuses from anonymous callers.
    """
    checked, violated, undetermined, private = [], [], [], []
    for red_line, outcome in zip(report.red_lines, report.outcomes, strict=True):
        checked.append(red_line.id)
        if red_line.visibility is Visibility.PRIVATE:
            private.append(red_line.id)
        if outcome is False:
            violated.append(red_line.id)
        elif outcome is None:
            undetermined.append(red_line.id)
    return {
        "complete": report.complete,
        "verdict": report.verdict.value,
        "checked": sorted(checked),
        "violated": sorted(violated),
        "undetermined": sorted(undetermined),
        "private": sorted(private),
    }


def stored_check_for(viewer: Viewer, stored: Mapping[str, Any]) -> dict[str, Any]:
    """Return a proposal's stored compact report as ``viewer`` may read it.

    Delegations and the convener read it whole (a private red line there is an id and a
    status, as in any check report); an anonymous caller reads the public red lines' part,
    until the summit is declassified.
    """
    if viewer.role is Role.ANONYMOUS and not viewer.declassified:
        return public_compact_report(stored)
    return dict(stored)


def public_compact_report(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Return a stored compact report as an anonymous caller may read it.

    The statuses of private red lines are left out (``hidden`` counts them), and the verdict
    is that of the public red lines alone.
    """
    private = set(stored.get("private", ()))
    if not private:
        return dict(stored)
    kept = {key: [i for i in stored[key] if i not in private] for key in _COMPACT_LISTS}
    verdict = verdict_of(violated=bool(kept["violated"]), undetermined=bool(kept["undetermined"]))
    return {
        "complete": stored["complete"],
        "verdict": verdict.value,
        **kept,
        "hidden": len(stored["checked"]) - len(kept["checked"]),
    }


_COMPACT_LISTS = ("checked", "violated", "undetermined")
