"""When a summit could first have settled: shared by the mediator's end-to-end test and the
summit benchmark."""

from __future__ import annotations

import asyncio

from clients.async_client import AsyncParleyClient
from clients.runner import RunResult


def first_possible_round(server: str, result: RunResult) -> int | None:
    """The first round whose aims (the least each delegation would accept) some package meets.

    Asked of the solver under the red lines as they ended, which bind no more than those
    of any earlier round: so no settlement can come before this round.
    """

    async def ask() -> int | None:
        async with AsyncParleyClient(server, result.convener_token) as convener:
            rounds = sorted(set.intersection(*(set(a) for a in result.aims.values())))
            for number in rounds:
                aims = {party: min(1.0, aims[number]) for party, aims in result.aims.items()}
                found = await convener.suggestions(result.summit.id, "welfare", floors=aims)
                if found.suggestions:
                    return number
        return None

    return asyncio.run(ask())
