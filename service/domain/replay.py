"""Replaying a summit's event log: the state of the table after any event or at any round.

The log is the record: every change appends one event whose data holds what changed in
full (redaction happens when an event is shown, never when it is stored), so folding the
events in ``seq`` order rebuilds what the summit held at any point. Nothing here redacts;
``service.domain.review`` writes the views for a caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.domain.events import EventType
from service.domain.record import ChainedEvent


@dataclass
class RoundLog:
    """What happened in one round, in the order it happened."""

    number: int
    phase: str = "proposals"  # then "responses", then "closed"
    proposals: list[dict[str, Any]] = field(default_factory=list)
    passes: list[str | None] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    concessions: list[dict[str, Any]] = field(default_factory=list)
    relaxed: list[int] = field(default_factory=list)  # red lines relaxed during the round
    closed: dict[str, Any] | None = None  # {"reason", "settled_by"}


@dataclass
class Snapshot:
    """The summit as it stood after event ``seq``."""

    seq: int = 0
    title: str = ""
    issues: list[dict[str, Any]] = field(default_factory=list)
    parties: list[dict[str, Any]] = field(default_factory=list)
    protocol: dict[str, Any] = field(default_factory=dict)
    status: str = "setup"
    outcome: str | None = None
    settlement: dict[str, Any] | None = None
    settlement_proposal: int | None = None
    round: int | None = None
    phase: str | None = None
    red_lines: dict[int, dict[str, Any]] = field(default_factory=dict)  # full, by id
    # Each party's preferences document in force: the mapping is replaced, never changed in
    # place, when preferences are set, so ``tabled_with`` can share it.
    preferences: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The preferences in force when each proposal was tabled, by proposal id: a proposal is
    # worth to a party what the party's preferences of that moment said.
    tabled_with: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rounds: dict[int, RoundLog] = field(default_factory=dict)
    concessions: list[dict[str, Any]] = field(default_factory=list)
    declassified_at: int | None = None  # seq of the declassification event

    @property
    def party_keys(self) -> list[str]:
        """Return the party keys in table order."""
        return [p["key"] for p in self.parties]

    def positions(self) -> dict[str, dict[str, Any] | None]:
        """Return each party's last proposal so far (None for a party that has tabled none)."""
        out: dict[str, dict[str, Any] | None] = dict.fromkeys(self.party_keys)
        for number in sorted(self.rounds):
            for proposal in self.rounds[number].proposals:
                if proposal["party"] is not None:
                    out[proposal["party"]] = proposal
        return out

    def proposals(self) -> list[dict[str, Any]]:
        """Return every proposal so far, in the order tabled."""
        return [p for n in sorted(self.rounds) for p in self.rounds[n].proposals]


def _apply(snap: Snapshot, event: ChainedEvent) -> None:
    data: Mapping[str, Any] = event.data
    kind = event.type
    snap.seq = event.seq
    if kind == EventType.SUMMIT_CREATED:
        snap.title = data["title"]
        snap.issues = list(data["issues"])
        snap.parties = list(data["parties"])
        snap.protocol = dict(data["protocol"])
    elif kind == EventType.RED_LINE_DECLARED:
        declared = dict(data["red_line"])
        snap.red_lines[declared["id"]] = declared
    elif kind == EventType.RED_LINE_RELAXED:
        relaxed = snap.red_lines.get(data["red_line"])
        if relaxed is not None:
            snap.red_lines[data["red_line"]] = relaxed | {
                "status": "relaxed",
                "relax_note": data.get("note", ""),
                "relaxed_round": data.get("round"),
            }
        # The ledger counts a relaxation as a concession; its event is this one.
        concession = {
            "kind": "red_line",
            "party": data["party"],
            "round": data.get("round"),
            "red_line": data["red_line"],
            "note": data.get("note", ""),
        }
        snap.concessions.append(concession)
        if data.get("round") in snap.rounds:
            snap.rounds[data["round"]].relaxed.append(data["red_line"])
            snap.rounds[data["round"]].concessions.append(concession)
    elif kind == EventType.PREFERENCES_SET:
        snap.preferences = {**snap.preferences, data["party"]: dict(data["preferences"])}
    elif kind == EventType.SUMMIT_STARTED:
        snap.status = "open"
    elif kind == EventType.ROUND_OPENED:
        number = data["round"]
        snap.rounds[number] = RoundLog(number)
        snap.round, snap.phase = number, data.get("phase", "proposals")
    elif kind == EventType.PROPOSAL_TABLED:
        proposal = dict(data["proposal"])
        snap.rounds[proposal["round"]].proposals.append(proposal)
        snap.tabled_with[proposal["id"]] = snap.preferences
    elif kind == EventType.PARTY_PASSED:
        snap.rounds[data["round"]].passes.append(data["party"])
    elif kind == EventType.PHASE_CHANGED:
        snap.rounds[data["round"]].phase = data["to"]
        snap.phase = data["to"]
    elif kind == EventType.RESPONSE_GIVEN:
        snap.rounds[data["round"]].responses.append(dict(data))
    elif kind == EventType.CONCESSION_RECORDED:
        concession = dict(data["concession"])
        snap.concessions.append(concession)
        if concession.get("round") in snap.rounds:
            snap.rounds[concession["round"]].concessions.append(concession)
    elif kind == EventType.ROUND_CLOSED:
        log = snap.rounds[data["round"]]
        log.phase = "closed"
        log.closed = {"reason": data["reason"], "settled_by": data.get("settled_by")}
        snap.phase = "closed"
    elif kind == EventType.SUMMIT_CONCLUDED:
        snap.status = "concluded"
        snap.outcome = data["outcome"]
        snap.settlement = data.get("settlement")
        snap.settlement_proposal = data.get("proposal")
        snap.phase = None
        if snap.round is not None and snap.rounds[snap.round].phase != "closed":
            snap.rounds[snap.round].phase = "closed"
    elif kind == EventType.SUMMIT_DECLASSIFIED:
        snap.declassified_at = event.seq


def replay(events: Iterable[ChainedEvent], *, until_seq: int | None = None) -> Snapshot:
    """Fold the events (in ``seq`` order) up to and including ``until_seq`` (None: all)."""
    snap = Snapshot()
    for event in events:
        if until_seq is not None and event.seq > until_seq:
            break
        _apply(snap, event)
    return snap


def round_end(events: Sequence[ChainedEvent], number: int) -> int | None:
    """Return the seq of the last event of round ``number``: just before round n+1 opens.

    Red lines relaxed and concessions recorded between the round's close and the next
    opening belong to it. None when round ``number`` never opened.
    """
    opened = False
    last = None
    for event in events:
        if event.type == EventType.ROUND_OPENED:
            if event.data["round"] == number:
                opened = True
            elif opened and event.data["round"] == number + 1:
                return last
        if opened and event.type != EventType.SUMMIT_DECLASSIFIED:
            last = event.seq
    return last if opened else None


def rounds_played(events: Sequence[ChainedEvent]) -> int:
    """Return how many rounds have opened."""
    return sum(1 for event in events if event.type == EventType.ROUND_OPENED)
