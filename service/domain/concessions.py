"""Concessions: explicit ones a party records, and derived ones read off its proposals."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from service.domain.agenda import Package, Value
from service.domain.preferences import Preferences


class ConcessionKind(StrEnum):
    """Where a concession comes from."""

    EXPLICIT = "explicit"  # declared with POST /concessions
    DERIVED = "derived"  # a party's position moved between consecutive proposals
    RED_LINE = "red_line"  # a red line was relaxed


@dataclass(frozen=True, slots=True)
class Move:
    """One issue on which a party's position moved between two of its proposals."""

    issue: str
    before: Value
    after: Value
    utility_change: float | None


def derive_moves(before: Package, after: Package, preferences: Preferences | None) -> list[Move]:
    """Return, issue by issue, how a party's position moved from one proposal to the next.

    Only issues assigned in both proposals count. ``utility_change`` is the change in the
    party's own utility on that issue (negative for a concession), or None without preferences.
    """
    moves = []
    for key, old in before.items():
        if key not in after or after[key] == old:
            continue
        new = after[key]
        change = None
        if preferences is not None:
            change = preferences.issue_utility(key, new) - preferences.issue_utility(key, old)
        moves.append(Move(key, old, new, change))
    return moves
