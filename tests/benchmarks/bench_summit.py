"""Mock-summit benchmark: four delegations over HTTP for 30 rounds, and 20 summits at once.

    python -m tests.benchmarks summit

Each delegation is its own async client with its own token, against one embedded uvicorn
worker on SQLite. "Waiting" is the share of the delegations' wall time spent inside HTTP
calls (long polls included), the rest being their strategies' own thinking.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from clients import client as client_module
from clients.async_client import AsyncParleyClient
from clients.embedded import embedded_server
from clients.runner import RunOptions, RunResult, run_scenario
from clients.scenario import load_scenario
from tests.settling import first_possible_round

ROUNDS = 30
SCENARIO = "syria-2016"


class Meter:
    """Counts requests and the time delegations spend waiting for answers."""

    def __init__(self) -> None:
        self.requests = 0
        self.waiting: dict[int, float] = defaultdict(float)
        self._send = client_module.AsyncParleyClient.send

    def __enter__(self) -> Meter:
        meter, original = self, self._send

        async def timed(self: Any, call: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(self, call)
            finally:
                meter.requests += 1
                meter.waiting[id(self)] += time.perf_counter() - started

        client_module.AsyncParleyClient.send = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        client_module.AsyncParleyClient.send = self._send  # type: ignore[method-assign]


def mix(name: str) -> dict[str, str]:
    """Strategy overrides for every party ('scenario' keeps the scenario's own)."""
    if name == "scenario":
        return {}
    return {party.key: name for party in load_scenario(SCENARIO).parties}


MEDIATED_MIXES: dict[str, dict[str, str]] = {
    "scenario": {},
    "gov+russia conceder": {"government": "conceder", "russia": "conceder"},
    "tit_for_tat": mix("tit_for_tat"),
}


def one_summit(
    url: str, strategies: str | dict[str, str], mediator: str | None = None
) -> tuple[RunResult, float, Meter]:
    chosen = mix(strategies) if isinstance(strategies, str) else strategies
    with Meter() as meter:
        started = time.perf_counter()
        result = asyncio.run(
            run_scenario(
                load_scenario(SCENARIO),
                url,
                RunOptions(rounds=ROUNDS, strategies=chosen, seed=1, mediator=mediator),
            )
        )
        wall = time.perf_counter() - started
    return result, wall, meter


def settled_by(url: str, result: RunResult) -> str:
    """Who tabled the settled text: the mediator or a delegation (or '-' without agreement)."""
    chosen = result.summit.settlement_proposal
    if chosen is None:
        return "-"

    async def ask() -> str:
        async with AsyncParleyClient(url, result.convener_token) as convener:
            played = await convener.round(result.summit.id, result.summit.rounds_played)
        author = next((p.party for p in played.proposals if p.id == chosen), None)
        return author or "mediator"

    return asyncio.run(ask())


def many_summits(
    url: str, count: int, strategies: str
) -> tuple[list[RunResult | BaseException], float, Meter]:
    async def all_at_once() -> list[RunResult | BaseException]:
        runs = [
            run_scenario(
                load_scenario(SCENARIO),
                url,
                RunOptions(rounds=ROUNDS, strategies=mix(strategies), seed=n),
            )
            for n in range(count)
        ]
        return await asyncio.gather(*runs, return_exceptions=True)

    with Meter() as meter:
        started = time.perf_counter()
        results = asyncio.run(all_at_once())
        wall = time.perf_counter() - started
    return results, wall, meter


def main() -> None:
    """Print the benchmark tables."""
    with tempfile.TemporaryDirectory() as folder, embedded_server(Path(folder) / "bench.db") as url:
        print(
            f"== One summit: {SCENARIO}, 4 delegations, {ROUNDS} rounds, one uvicorn worker, SQLite"
        )
        print(
            "  {:<12} {:<13} {:>6} {:>7} {:>8} {:>6} {:>8}".format(
                "strategies", "outcome", "rounds", "wall s", "requests", "req/s", "waiting"
            )
        )
        for strategies in ("hardliner", "scenario", "conceder"):
            result, wall, meter = one_summit(url, strategies)
            delegations = sorted(meter.waiting.values())[-4:]
            waiting = sum(delegations) / (4 * wall)
            print(
                f"  {strategies:<12} {result.summit.outcome:<13} {result.summit.rounds_played:>6} "
                f"{wall:>7.2f} {meter.requests:>8} {meter.requests / wall:>6.0f} {waiting:>8.0%}"
            )
        print(
            f"\n== Rounds to agreement, alone and with the convener's mediator (nash), {ROUNDS} max"
        )
        print(
            "  {:<20} {:>12} {:>12} {:>14} {:>6} {:>11} {:>7}".format(
                "strategies", "alone", "mediated", "first possible", "texts", "settled by", "wall s"
            )
        )
        for name, strategies in MEDIATED_MIXES.items():
            alone, _, _ = one_summit(url, strategies)
            mediated, wall, _ = one_summit(url, strategies, mediator="nash")
            possible = first_possible_round(url, mediated)
            print(
                f"  {name:<20} {_settled(alone):>12} {_settled(mediated):>12} "
                f"{possible if possible is not None else '-':>14} "
                f"{len(mediated.mediator_texts):>6} {settled_by(url, mediated):>11} {wall:>7.2f}"
            )
        print("\n== 20 summits at once against the same server (hardliners, 30 rounds each)")
        results, wall, meter = many_summits(url, 20, "hardliner")
        failures = [r for r in results if isinstance(r, BaseException)]
        finished = [r for r in results if not isinstance(r, BaseException)]
        refused = sum(len(moves) for r in finished for moves in r.refused.values())
        invalid = sum(1 for r in finished if not r.verification.valid)
        rounds = sum(r.summit.rounds_played for r in finished)
        print(
            f"  summits {len(results)}, finished {len(finished)}, errors {len(failures)}, "
            f"refused moves {refused}, broken chains {invalid}"
        )
        print(
            f"  rounds played {rounds}, wall {wall:.2f} s, requests {meter.requests}, "
            f"{meter.requests / wall:.0f} req/s"
        )
        for failure in failures[:3]:
            print(f"  error: {failure!r}")
        print(
            "\nTargets: one 4 x 30 summit under 5 s wall; 20 at once with zero errors; the"
            " mediated summit\nsettles in the first round the demands allow (or the next), sooner"
            " than alone."
        )


def _settled(result: RunResult) -> str:
    if result.summit.outcome == "agreement":
        return f"round {result.summit.rounds_played}"
    return result.summit.outcome
