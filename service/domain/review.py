"""Review views of a replayed summit, written for one caller: state, diff and utilities.

Privacy is the viewer's (``Viewer.sees_private``): a private red line shows only its id,
party, visibility and status to others; a party's preferences and the utilities of packages
to it are for itself and the convener (everyone, once the summit is declassified); proposals
still sealed in the running proposals phase show only to their author and the convener.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.agenda import Agenda, Package
from service.domain.events import redact_concession
from service.domain.preferences import Preferences, build_preferences
from service.domain.privacy import Viewer, stored_check_for
from service.domain.replay import RoundLog, Snapshot
from service.domain.reviews import (
    DiffPoint,
    IssueMove,
    PartyMoves,
    ProposalRef,
    ProposalWorth,
    ReviewAgenda,
    ReviewDiff,
    ReviewPoint,
    ReviewProposal,
    ReviewRound,
    ReviewState,
    ReviewUtilities,
    SealedReviewProposal,
    Settlement,
    SettlementWorth,
    TrajectoryPoint,
    ViewedAs,
)

_PUBLIC_RED_LINE = ("id", "party", "visibility", "status")


def red_line_entry(red_line: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    """Return a replayed red line as ``viewer`` may see it."""
    if red_line["visibility"] == "private" and not viewer.sees_private(red_line["party"]):
        return {k: red_line[k] for k in _PUBLIC_RED_LINE}
    return dict(red_line)


def utilities_for(
    package: Package, preferences: Mapping[str, Preferences], viewer: Viewer
) -> dict[str, float]:
    """Return the utility of a full or partial package to each party ``viewer`` may see."""
    return {
        party: prefs.utility(package)
        for party, prefs in preferences.items()
        if viewer.sees_private(party)
    }


class Reviewer:
    """Writes review views of snapshots for one viewer.

    A proposal is worth to each party what that party's preferences in force when it was
    tabled said (``Snapshot.tabled_with``); the settlement and the reservation values are
    those of the preferences in force at the snapshot. ``sealed_round`` is the round whose
    proposals are sealed now, if any.
    """

    def __init__(
        self, summit: str, agenda: Agenda, viewer: Viewer, sealed_round: int | None
    ) -> None:
        self.summit = summit
        self.agenda = agenda
        self.viewer = viewer
        self.sealed_round = sealed_round
        # Built utility functions by document (a replay shares one document object between
        # every proposal tabled under it, so each is built once) and utilities by proposal.
        self._built: dict[int, tuple[Mapping[str, Any], Preferences]] = {}
        self._utilities: dict[int, dict[str, float]] = {}

    def preferences(self, documents: Mapping[str, Mapping[str, Any]]) -> dict[str, Preferences]:
        """Return the utility functions of preference documents (built once per document)."""
        out = {}
        for party, document in documents.items():
            found = self._built.get(id(document))
            if found is None or found[0] is not document:
                found = (document, build_preferences(document, self.agenda))
                self._built[id(document)] = found
            out[party] = found[1]
        return out

    def proposal_utilities(self, snap: Snapshot, proposal: Mapping[str, Any]) -> dict[str, float]:
        """Return a proposal's utility to each visible party, by the preferences it met."""
        found = self._utilities.get(proposal["id"])
        if found is None:
            documents = snap.tabled_with.get(proposal["id"], snap.preferences)
            found = utilities_for(proposal["package"], self.preferences(documents), self.viewer)
            self._utilities[proposal["id"]] = found
        return dict(found)

    def sealed(self, proposal: Mapping[str, Any]) -> bool:
        """Say whether ``proposal`` is still sealed for this viewer."""
        return proposal["round"] == self.sealed_round and not self.viewer.sees_proposal(
            proposal["party"]
        )

    def proposal(
        self, snap: Snapshot, proposal: Mapping[str, Any]
    ) -> ReviewProposal | SealedReviewProposal:
        """Return a proposal with its utilities to the parties the viewer may see."""
        if self.sealed(proposal):
            return SealedReviewProposal(proposal["id"], proposal["round"], proposal["party"], True)
        check = stored_check_for(self.viewer, proposal.get("check") or {})
        return ReviewProposal(
            id=proposal["id"],
            round=proposal["round"],
            party=proposal["party"],
            package=proposal["package"],
            complete=proposal["complete"],
            rationale=proposal.get("rationale", ""),
            verdict=check.get("verdict"),
            utilities=self.proposal_utilities(snap, proposal),
        )

    def concession(self, snap: Snapshot, concession: Mapping[str, Any]) -> dict[str, Any]:
        """Return a concession redacted like the ledger's."""
        record = dict(concession)
        if "red_line" in record:
            red_line = snap.red_lines.get(record["red_line"])
            record["visibility"] = red_line["visibility"] if red_line else "private"
        return redact_concession(record, self.viewer)

    def round(self, snap: Snapshot, log: RoundLog) -> ReviewRound:
        """Return one round's moves."""
        return ReviewRound(
            number=log.number,
            phase=log.phase,
            proposals=[self.proposal(snap, p) for p in log.proposals],
            passes=list(log.passes),
            responses=[dict(r) for r in log.responses],
            concessions=[self.concession(snap, c) for c in log.concessions],
            relaxed_red_lines=list(log.relaxed),
            closed=log.closed,
        )

    def positions(self, snap: Snapshot) -> dict[str, ReviewProposal | None]:
        """Return each party's last visible proposal, with its utilities."""
        out: dict[str, ReviewProposal | None] = dict.fromkeys(snap.party_keys)
        for proposal in snap.proposals():
            if proposal["party"] is not None and not self.sealed(proposal):
                view = self.proposal(snap, proposal)
                if isinstance(view, ReviewProposal):
                    out[proposal["party"]] = view
        return out

    def state(self, snap: Snapshot, *, round_number: int | None) -> ReviewState:
        """Return the state of the summit at ``snap`` (the end of ``round_number``, if given)."""
        viewer = self.viewer
        current = round_number if round_number is not None else snap.round
        settlement = snap.settlement
        return ReviewState(
            summit=self.summit,
            viewed_as=ViewedAs(viewer.role, viewer.party),
            declassified=viewer.declassified,
            at=ReviewPoint(snap.seq, current, snap.phase, snap.status),
            agenda=ReviewAgenda(snap.title, snap.issues, snap.parties, snap.protocol),
            red_lines=[red_line_entry(rl, viewer) for _, rl in sorted(snap.red_lines.items())],
            preferences={
                party: doc for party, doc in snap.preferences.items() if viewer.sees_private(party)
            },
            positions=self.positions(snap),
            round=None if current is None else self.round(snap, snap.rounds[current]),
            concessions=[self.concession(snap, c) for c in snap.concessions],
            outcome=snap.outcome,
            settlement=None
            if settlement is None
            else Settlement(
                snap.settlement_proposal,
                settlement,
                utilities_for(settlement, self.preferences(snap.preferences), viewer),
            ),
        )

    def diff(self, before: Snapshot, after: Snapshot) -> ReviewDiff:
        """Return what moved between two snapshots: each party's issues, red lines, concessions."""
        earlier, later = self.positions(before), self.positions(after)
        parties: dict[str, PartyMoves] = {}
        for party in after.party_keys:
            a, b = earlier.get(party), later.get(party)
            moved = []
            if a is not None and b is not None:
                old, new = a.package, b.package
                moved = [
                    IssueMove(key, old.get(key), new.get(key))
                    for key in self.agenda.keys
                    if old.get(key) != new.get(key)
                ]
            parties[party] = PartyMoves(
                from_=None if a is None else ProposalRef(a.id, a.round),
                to=None if b is None else ProposalRef(b.id, b.round),
                moved=moved,
                utility_change=_change(a, b, party),
            )
        relaxed = [
            red_line_entry(rl, self.viewer)
            for rid, rl in sorted(after.red_lines.items())
            if rl["status"] == "relaxed"
            and before.red_lines.get(rid, {}).get("status", "active") != "relaxed"
        ]
        return ReviewDiff(
            summit=self.summit,
            declassified=self.viewer.declassified,
            from_=DiffPoint(before.seq, before.round),
            to=DiffPoint(after.seq, after.round),
            parties=parties,
            relaxed_red_lines=relaxed,
            concessions=[
                self.concession(after, c) for c in after.concessions[len(before.concessions) :]
            ],
        )

    def utilities(self, snap: Snapshot) -> ReviewUtilities:
        """Return the utility of every proposal and of the settlement, and each trajectory.

        A trajectory is, for one party, the utility to it of every proposal round by round:
        its own (how far it conceded) and the others' (how near they came).
        """
        preferences = self.preferences(snap.preferences)
        visible = [p for p in snap.party_keys if p in preferences and self.sees(p)]
        shown = [
            view
            for view in (self.proposal(snap, p) for p in snap.proposals())
            if isinstance(view, ReviewProposal)
        ]
        trajectories = {
            party: [
                TrajectoryPoint(p.round, p.id, p.party, p.utilities[party])
                for p in shown
                if party in p.utilities
            ]
            for party in visible
        }
        settlement = snap.settlement
        return ReviewUtilities(
            summit=self.summit,
            declassified=self.viewer.declassified,
            parties=visible,
            reservations={p: preferences[p].reservation for p in visible},
            proposals=[ProposalWorth(p.id, p.round, p.party, p.utilities) for p in shown],
            settlement=None
            if settlement is None
            else SettlementWorth(
                snap.settlement_proposal, utilities_for(settlement, preferences, self.viewer)
            ),
            trajectories=trajectories,
        )

    def sees(self, party: str) -> bool:
        """Say whether the viewer may see ``party``'s utilities."""
        return self.viewer.sees_private(party)


def _change(a: ReviewProposal | None, b: ReviewProposal | None, party: str) -> float | None:
    if a is None or b is None:
        return None
    before, after = a.utilities.get(party), b.utilities.get(party)
    return None if before is None or after is None else after - before
