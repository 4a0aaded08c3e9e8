"""``scripted``: plays one party's moves from a script.

Where the script is silent it passes and rejects, or defers to another strategy when given one.
"""

from __future__ import annotations

from typing import Any

from clients.models import Package, Proposal
from clients.script import Move, Script
from clients.strategies.base import Answer, Strategy, TableState


class Scripted(Strategy):
    """Options: ``script`` (a ``Script``), ``fallback`` (a Strategy for unscripted turns)."""

    name = "scripted"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.script: Script = options["script"]
        self.fallback: Strategy | None = options.get("fallback")

    def _moves(self, state: TableState, kinds: tuple[str, ...]) -> list[Move]:
        return [
            m
            for m in self.script.moves_of(state.round)
            if m.party == state.party and m.kind in kinds
        ]

    def propose(self, state: TableState) -> tuple[Package, str] | None:
        """Return the scripted proposal of this round, or a pass."""
        for move in self._moves(state, ("propose", "pass")):
            return None if move.kind == "pass" else (move.propose or {}, move.rationale)
        return self.fallback.propose(state) if self.fallback else None

    def answer(self, state: TableState, proposal: Proposal) -> Answer:
        """Return the scripted verdict on this proposal's author, or a rejection."""
        author = proposal.party or "mediator"
        for move in self._moves(state, ("accept", "reject")):
            if (move.accept or move.reject) == author:
                return Answer(move.kind, move.note)
        return self.fallback.answer(state, proposal) if self.fallback else Answer("reject")
