"""The kinds of event in a summit's log, and how each is redacted for a viewer."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from service.domain.privacy import Viewer, stored_check_for


class EventType(StrEnum):
    """Every change to a summit appends exactly one of these."""

    SUMMIT_CREATED = "summit.created"
    RED_LINE_DECLARED = "red_line.declared"
    RED_LINE_RELAXED = "red_line.relaxed"
    PREFERENCES_SET = "preferences.set"
    SUMMIT_STARTED = "summit.started"
    ROUND_OPENED = "round.opened"
    PROPOSAL_TABLED = "proposal.tabled"
    PARTY_PASSED = "party.passed"
    PHASE_CHANGED = "phase.changed"
    RESPONSE_GIVEN = "response.given"
    CONCESSION_RECORDED = "concession.recorded"
    ROUND_CLOSED = "round.closed"
    SUMMIT_CONCLUDED = "summit.concluded"
    SUMMIT_DECLASSIFIED = "summit.declassified"  # private content opened for the debrief
    PROTOCOL_CHANGED = "protocol.changed"  # the convener set the phase deadlines


def redact_event_data(
    type: str, data: Mapping[str, Any], viewer: Viewer, *, sealed_round: int | None
) -> dict[str, Any]:
    """Return the part of an event's data that ``viewer`` may read.

    ``sealed_round`` is the round whose proposals are still sealed (its proposals phase is
    running), or None: until that phase closes only a proposal's author and the convener
    see its content.
    """
    out = dict(data)
    if type == EventType.RED_LINE_DECLARED:
        red_line = data["red_line"]
        if red_line["visibility"] == "private" and not viewer.sees_private(red_line["party"]):
            out["red_line"] = {k: red_line[k] for k in ("id", "party", "visibility", "status")}
    elif type == EventType.RED_LINE_RELAXED:
        if data.get("visibility") == "private" and not viewer.sees_private(data["party"]):
            out.pop("note", None)
    elif type == EventType.PREFERENCES_SET:
        if not viewer.sees_private(data["party"]):
            out = {"party": data["party"]}
    elif type == EventType.PROPOSAL_TABLED:
        proposal = data["proposal"]
        if proposal["round"] == sealed_round and not viewer.sees_proposal(proposal["party"]):
            out["proposal"] = {
                "id": proposal["id"],
                "round": proposal["round"],
                "party": proposal["party"],
                "sealed": True,
            }
        elif "check" in proposal:
            out["proposal"] = {**proposal, "check": stored_check_for(viewer, proposal["check"])}
    elif type == EventType.CONCESSION_RECORDED:
        out["concession"] = redact_concession(data["concession"], viewer)
    return out


def redact_concession(concession: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    """Hide a concession's private parts: its utility change, and notes on private red lines."""
    out = dict(concession)
    utility, note = viewer.hides_concession_secrets(
        concession["party"], concession.get("visibility")
    )
    if utility:
        out.pop("utility_change", None)
    if note:
        out.pop("note", None)
    return out
