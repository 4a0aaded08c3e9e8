"""Checks of a played summit's record, shared by the runner and end-to-end tests."""

from __future__ import annotations

from service.domain.agenda import build_agenda
from tests.domain.naive import holds


def broken_own_red_lines(events: list) -> list[str]:
    """Every proposal or acceptance that broke one of its author's own red lines active then.

    Replays the event log (read with the convener's token, so nothing is hidden): red lines
    are active from their declaration until their relaxation.
    """
    agenda = None
    active: dict[int, tuple[str, object]] = {}
    packages: dict[int, tuple[str | None, dict]] = {}
    found = []
    for event in events:
        data = event.data
        if event.type == "summit.created":
            agenda = build_agenda(data["issues"])
        elif event.type == "red_line.declared":
            red_line = data["red_line"]
            active[red_line["id"]] = (red_line["party"], red_line["constraint"])
        elif event.type == "red_line.relaxed":
            active.pop(data["red_line"], None)
        elif event.type == "proposal.tabled":
            proposal = data["proposal"]
            packages[proposal["id"]] = (proposal["party"], proposal["package"])
            found += _breaks(
                proposal["party"], proposal["package"], active, agenda, f"proposal {proposal['id']}"
            )
        elif event.type == "response.given" and data["verdict"] == "accept":
            _, package = packages[data["proposal"]]
            found += _breaks(
                data["party"],
                package,
                active,
                agenda,
                f"{data['party']} accepting {data['proposal']}",
            )
    return found


def _breaks(party, package, active, agenda, what):
    if party is None or len(package) < len(agenda.issues):
        return []
    return [
        f"{what} breaks red line {rid}"
        for rid, (owner, tree) in active.items()
        if owner == party and not holds(tree, package, agenda)
    ]


def moves(history, *, ids: bool = True) -> list[tuple]:
    """The moves of a history as comparable tuples; without ``ids``, summits in one database
    compare equal when they were played the same way."""
    authors = {p.id: p.party for rnd in history.rounds for p in rnd.proposals}
    out = []
    for rnd in history.rounds:
        for p in rnd.proposals:
            out.append(
                (
                    rnd.number,
                    "propose",
                    p.id if ids else None,
                    p.party,
                    tuple(sorted((p.package or {}).items())),
                )
            )
        for s in rnd.passes:
            out.append((rnd.number, "pass", s.party))
        for r in rnd.responses:
            target = r.proposal if ids else authors[r.proposal]
            out.append((rnd.number, "respond", target, r.party, r.verdict, r.note, r.defaulted))
        for c in rnd.concessions:
            note = c.note if ids or c.kind != "derived" else None  # derived notes name proposal ids
            out.append(
                (
                    rnd.number,
                    "concede",
                    c.kind,
                    c.party,
                    c.issue,
                    c.from_,
                    c.to,
                    c.red_line if ids else None,
                    note,
                )
            )
    # Without ids, arrival order within a round (a matter of timing) does not count either.
    return out if ids else sorted(out, key=repr)
