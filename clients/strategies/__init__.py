"""Negotiating strategies; ``make_strategy(name, **options)`` builds one by name.

Write your own by subclassing ``Strategy`` and overriding ``propose`` and ``answer``::

    class Stubborn(Strategy):
        name = "stubborn"

        def propose(self, state):
            return state.position.ideal(), "take it or leave it"
"""

from __future__ import annotations

from typing import Any

from clients.strategies.base import Answer, Strategy, TableState
from clients.strategies.hardliner import Hardliner
from clients.strategies.scripted import Scripted
from clients.strategies.time_dependent import Boulware, Conceder, TimeDependent
from clients.strategies.tit_for_tat import TitForTat

STRATEGIES: dict[str, type[Strategy]] = {
    kind.name: kind for kind in (Hardliner, Boulware, Conceder, TimeDependent, TitForTat, Scripted)
}


def make_strategy(name: str, **options: Any) -> Strategy:
    """Build a strategy by name; an unknown name lists the known ones."""
    kind = STRATEGIES.get(name)
    if kind is None:
        raise ValueError(f"unknown strategy {name!r}; known: {', '.join(sorted(STRATEGIES))}")
    return kind(**options)


__all__ = ["STRATEGIES", "Answer", "Strategy", "TableState", "make_strategy"]
