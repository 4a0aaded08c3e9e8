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


@dataclass(frozen=True, slots=True)
class RelaxRule:
    """When a red line may be relaxed: from round ``after_round`` on, never, or (None) any time.

    The rule travels with the red line from its declaration; the party that declared it
    cannot relax it before the round the rule names.
    """

    relaxable: bool = True
    after_round: int | None = None

    def refusal(self, round_number: int | None) -> str | None:
        """Say why the red line may not be relaxed in ``round_number`` (None before start)."""
        if not self.relaxable:
            return "it was declared not relaxable"
        if self.after_round is None:
            return None
        if round_number is None:
            return f"it may be relaxed from round {self.after_round} on; the summit has not started"
        if round_number < self.after_round:
            return (
                f"it may be relaxed from round {self.after_round} on; "
                f"the summit is in round {round_number}"
            )
        return None

    def to_json(self) -> str | dict[str, int] | None:
        """Return the rule as the API shows it: ``"never"``, ``{"after_round": N}`` or None."""
        if not self.relaxable:
            return "never"
        return None if self.after_round is None else {"after_round": self.after_round}
