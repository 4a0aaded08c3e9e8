"""Review benchmark: state at a round over HTTP, the outcome's measures, the debrief's size.

    python -m tests.benchmarks review

One embedded uvicorn worker on SQLite. A 30-round syria-2016 summit (hardliners, so it runs
all 30 rounds) is replayed for ``GET /state?round=N`` at random rounds; the report of that
summit is written to a file as ``parley report`` does; a settled syria-2016 summit (the
scenario's own strategies) is measured.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from clients.embedded import embedded_server
from clients.runner import RunOptions, RunResult, run_scenario
from clients.scenario import load_scenario
from tests.benchmarks.bench_summit import mix
from tests.benchmarks.stats import percentile

SCENARIO = "syria-2016"
ROUNDS = 30
REQUESTS = 300


def play(url: str, strategies: dict[str, str], seed: int = 1) -> RunResult:
    """Play one syria-2016 summit of up to 30 rounds."""
    options = RunOptions(rounds=ROUNDS, strategies=strategies, seed=seed)
    return asyncio.run(run_scenario(load_scenario(SCENARIO), url, options))


def state_latencies(
    url: str, summit: str, headers: dict[str, str], top: int, by: str = "round"
) -> list[float]:
    """Milliseconds per GET /state?round=N (or ?seq=S) at random points, one connection.

    By round, the worker's replay cache holds every round's end after the first requests;
    by seq, nearly every request asks for a point not replayed before (the cache keeps 32).
    """
    chosen = random.Random(7)
    times = []
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        http.get(f"/summits/{summit}/state", params={by: 1}).raise_for_status()  # warm
        for _ in range(REQUESTS):
            number = chosen.randint(1, top)
            started = time.perf_counter()
            response = http.get(f"/summits/{summit}/state", params={by: number})
            times.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return times


def write_report(url: str, summit: str, headers: dict[str, str], out: Path) -> tuple[float, int]:
    """Seconds to fetch and write the report (as ``parley report``), and its size in bytes."""
    started = time.perf_counter()
    response = httpx.get(f"{url}/summits/{summit}/report", headers=headers, timeout=120)
    response.raise_for_status()
    out.write_text(response.text, encoding="utf-8")
    return time.perf_counter() - started, out.stat().st_size


def measures(url: str, summit: str, headers: dict[str, str]) -> tuple[dict[str, Any], float]:
    """The measures of the settlement, and the seconds the request took."""
    started = time.perf_counter()
    response = httpx.get(f"{url}/summits/{summit}/measures", headers=headers, timeout=120)
    response.raise_for_status()
    return response.json(), time.perf_counter() - started


def main() -> None:
    """Print the benchmark tables."""
    with tempfile.TemporaryDirectory() as folder, embedded_server(Path(folder) / "bench.db") as url:
        long = play(url, mix("hardliner"))
        summit, rounds = long.summit.id, long.summit.rounds_played
        convener = {"Authorization": f"Bearer {long.convener_token}"}
        events = httpx.get(f"{url}/summits/{summit}/events", params={"limit": 10000}).json()
        print(
            f"== GET /state?round=N: {SCENARIO}, {rounds} rounds ({long.summit.outcome}), "
            f"{len(events)} events, one uvicorn worker, SQLite, {REQUESTS} requests"
        )
        print(
            "  {:<12} {:<13} {:>8} {:>8} {:>8}".format("caller", "at", "p50 ms", "p95 ms", "max ms")
        )
        for who, headers in (("convener", convener), ("anonymous", {})):
            for by, top in (("round", rounds), ("seq", len(events))):
                times = state_latencies(url, summit, headers, top, by)
                print(
                    f"  {who:<12} {by + '=random':<13} {statistics.median(times):>8.1f} "
                    f"{percentile(times, 0.95):>8.1f} {max(times):>8.1f}"
                )
        print(
            f"\n== The report of the {rounds}-round summit, written to a file (the first one "
            "also pays plotly's first use in the worker and the frontier's searches; the "
            "solver pool remembers those)"
        )
        print("  {:<16} {:>8} {:>10}".format("caller", "seconds", "KiB"))
        for who, headers in (
            ("convener", convener),
            ("anonymous", {}),
            ("convener again", convener),
        ):
            out = Path(folder) / f"{who.replace(' ', '-')}.html"
            seconds, size = write_report(url, summit, headers, out)
            print(f"  {who:<16} {seconds:>8.2f} {size // 1024:>10}")
        settled = play(url, {})
        headers = {"Authorization": f"Bearer {settled.convener_token}"}
        print(
            f"\n== Measures of a settled {SCENARIO} summit ({settled.summit.outcome} in round "
            f"{settled.summit.rounds_played}); solver time limit 5 s (the server's default)"
        )
        found, cold = measures(url, settled.summit.id, headers)
        _, warm = measures(url, settled.summit.id, headers)
        print(
            f"  request: cold {cold:.2f} s (searches {found['seconds']:.2f} s), cached {warm:.3f} s"
        )
        print(
            f"  Pareto-optimal: {found['pareto_optimal']} (proved: {found['pareto_optimal'] is not None})"
        )
        joint = found["joint_gain"]
        print(f"  largest gain for every party at once: {joint['gain']:.4f} ({joint['status']})")
        print("  {:<10} {:>10} {:>10}".format("target", "distance", "status"))
        for name, target in found["targets"].items():
            distance = "-" if target["distance"] is None else f"{target['distance']:.4f}"
            print(f"  {name:<10} {distance:>10} {target['status']:>10}")
        print("  {:<12} {:>8} {:>12} {:>8}".format("party", "utility", "reservation", "gain"))
        for party in found["parties"]:
            print(
                f"  {party:<12} {found['utilities'][party]:>8.3f} "
                f"{found['reservations'][party]:>12.3f} "
                f"{found['gains_over_reservation'][party]:>+8.3f}"
            )
        print(
            "\nTargets: state p50 under 50 ms; the measures within the solver's time limit;"
            " the report under 2 s."
        )
