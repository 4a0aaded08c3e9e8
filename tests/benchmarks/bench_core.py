"""Core benchmark: checker throughput in-process and over HTTP, against a bare endpoint.

    python -m tests.benchmarks core

In-process: the compiled checker against a tree-walking evaluation of the same red lines
(4 parties x 10 red lines, full packages). Over HTTP: POST /check and proposal submission,
each beside a bare FastAPI endpoint served by the same uvicorn settings in the same run, with
the same load generator and a bounded number of concurrent keep-alive connections.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from service.domain.agenda import Agenda, build_agenda
from service.domain.checker import Checker
from service.domain.redline import node_to_json, parse_expr
from service.domain.redline.red_line import RedLine, Visibility
from tests.benchmarks.loadgen import LoadResult, request_bytes, run_load
from tests.benchmarks.servers import uvicorn_server
from tests.benchmarks.workload import agenda_specs, full_package, red_lines
from tests.domain.naive import holds

PARTIES = ["government", "kurds", "usa", "russia"]
LINES_PER_PARTY = 10
CONCURRENCY = 8


def consistent_red_lines(
    rng: random.Random,
    specs: list[dict[str, Any]],
    agenda: Agenda,
    ideal: dict[str, Any],
    count: int,
) -> list[str]:
    """Red lines that the party's own ideal package satisfies (as real red lines are)."""
    out: list[str] = []
    while len(out) < count:
        for text in red_lines(rng, specs, count):
            if len(out) < count and holds(node_to_json(parse_expr(text, agenda)), ideal, agenda):
                out.append(text)
    return out


def scenario(
    seed: int = 7,
) -> tuple[list[dict[str, Any]], Agenda, dict[str, dict[str, Any]], dict[str, list[str]]]:
    """The benchmark's agenda, each party's ideal package and red lines."""
    rng = random.Random(seed)
    specs = agenda_specs(10)
    agenda = build_agenda(specs)
    ideals = {party: full_package(rng, specs) for party in PARTIES}
    lines = {
        party: consistent_red_lines(rng, specs, agenda, ideals[party], LINES_PER_PARTY)
        for party in PARTIES
    }
    return specs, agenda, ideals, lines


def timed(function: Any, items: list[Any], minimum: float = 1.5) -> float:
    """Calls per second of ``function`` over ``items``, repeated for at least ``minimum`` s."""
    count, started = 0, time.perf_counter()
    while True:
        for item in items:
            function(item)
        count += len(items)
        elapsed = time.perf_counter() - started
        if elapsed >= minimum:
            return count / elapsed


def in_process() -> list[tuple[str, str]]:
    specs, agenda, _ideals, lines = scenario()
    rng = random.Random(1)
    red = [
        RedLine(i, party, f"l{i}", text, parse_expr(text, agenda), Visibility.PUBLIC)
        for i, (party, text) in enumerate((p, t) for p in PARTIES for t in lines[p])
    ]
    checker = Checker(agenda, red)
    packages = [full_package(rng, specs) for _ in range(2000)]
    validated = [agenda.validate_package(p) for p in packages]
    compiled = timed(checker.check, validated)
    with_validation = timed(lambda p: checker.check(agenda.validate_package(p)), packages)
    trees = [node_to_json(rl.constraint) for rl in red]
    walking = timed(lambda p: [holds(tree, p, agenda) for tree in trees], validated[:300])
    return [
        ("checker, validated full packages", f"{compiled:,.0f} checks/s"),
        ("checker, validation + check", f"{with_validation:,.0f} checks/s"),
        ("tree-walking evaluation (peer)", f"{walking:,.0f} checks/s"),
        ("compiled / tree-walking", f"{compiled / walking:.1f}x"),
    ]


def setup_summits(
    base: str, specs: list[dict[str, Any]], lines: dict[str, list[str]], count: int, port: int
) -> list[dict[str, Any]]:
    """Create ``count`` started summits with every party's red lines; return their tokens."""
    created = []
    with httpx.Client(base_url=base, timeout=30) as http:
        for n in range(count):
            body = {
                "title": f"bench {n}",
                "issues": specs,
                "parties": [{"key": p, "name": p} for p in PARTIES],
                "protocol": {"max_rounds": 5},
            }
            response = http.post("/summits", json=body)
            response.raise_for_status()
            created.append(response.json())
    declarations = [
        request_bytes(
            "POST",
            f"/summits/{c['summit']['id']}/parties/{party}/red-lines",
            {"label": f"{party} {i}", "expr": text, "visibility": "private" if i % 2 else "public"},
            c["tokens"]["parties"][party],
        )
        for c in created
        for party in PARTIES
        for i, text in enumerate(lines[party])
    ]
    _expect(run_load("127.0.0.1", port, declarations, CONCURRENCY), 201, "declaring red lines")
    starts = [
        request_bytes("POST", f"/summits/{c['summit']['id']}/start", None, c["tokens"]["convener"])
        for c in created
    ]
    _expect(run_load("127.0.0.1", port, starts, CONCURRENCY), 200, "starting summits")
    return created


def first_checks(port: int, summits: list[dict[str, Any]]) -> None:
    """As delegations do before they propose: a check per summit (which also compiles the
    summit's red lines into the server's cache, as any first request on them does)."""
    checks = [
        request_bytes("POST", f"/summits/{c['summit']['id']}/check", {"package": {}})
        for c in summits
    ]
    _expect(run_load("127.0.0.1", port, checks, CONCURRENCY), 200, "first checks")


def proposal_requests(
    summits: list[dict[str, Any]], ideals: dict[str, dict[str, Any]]
) -> list[bytes]:
    """Each party of each summit tables its ideal package in round 1."""
    return [
        request_bytes(
            "POST",
            f"/summits/{c['summit']['id']}/rounds/1/proposals",
            {"package": ideals[party], "rationale": "bench"},
            c["tokens"]["parties"][party],
        )
        for c in summits
        for party in PARTIES
    ]


def _expect(result: LoadResult, status: int, what: str) -> None:
    if set(result.statuses) != {status}:
        raise RuntimeError(f"{what}: unexpected statuses {result.statuses}")


def _median(results: list[LoadResult]) -> LoadResult:
    return sorted(results, key=lambda r: r.rate)[len(results) // 2]


def over_http(repeats: int = 3) -> list[tuple[str, LoadResult, LoadResult]]:
    """Serve the bare app and the service side by side; run each load ``repeats`` times,
    interleaved, and keep the median run of each (the machine's speed drifts)."""
    specs, _agenda, ideals, lines = scenario()
    rng = random.Random(2)
    packages = [full_package(rng, specs) for _ in range(500)]
    requests_count = 6000
    summits_per_run = 150
    bare_runs: list[LoadResult] = []
    check_runs: list[LoadResult] = []
    propose_runs: list[LoadResult] = []
    with tempfile.TemporaryDirectory() as folder:
        # Throughput is measured, not the per-token rate limit: it is lifted here.
        env = {
            "PARLEY_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
            "PARLEY_CHECK_RATE": "0",
        }
        with (
            uvicorn_server("tests.benchmarks.bare_app:app") as bare_port,
            uvicorn_server("service.main:app", env) as port,
        ):
            base = f"http://127.0.0.1:{port}"
            summits = setup_summits(base, specs, lines, 1 + repeats * summits_per_run, port)
            first = summits[0]
            bare_requests = [
                request_bytes("POST", "/bare", {"package": packages[i % len(packages)]})
                for i in range(requests_count)
            ]
            check_requests = [
                request_bytes(
                    "POST",
                    f"/summits/{first['summit']['id']}/check",
                    {"package": packages[i % len(packages)]},
                    first["tokens"]["parties"][PARTIES[i % len(PARTIES)]],
                )
                for i in range(requests_count)
            ]
            run_load("127.0.0.1", bare_port, bare_requests[:500], CONCURRENCY)
            run_load("127.0.0.1", port, check_requests[:500], CONCURRENCY)
            for repeat in range(repeats):
                bare_runs.append(run_load("127.0.0.1", bare_port, bare_requests, CONCURRENCY))
                check_runs.append(run_load("127.0.0.1", port, check_requests, CONCURRENCY))
                batch = summits[1 + repeat * summits_per_run : 1 + (repeat + 1) * summits_per_run]
                first_checks(port, batch)
                proposals = proposal_requests(batch, ideals)
                propose_runs.append(run_load("127.0.0.1", port, proposals, CONCURRENCY))
    for name, runs, status in (
        ("bare", bare_runs, 200),
        ("check", check_runs, 200),
        ("proposals", propose_runs, 201),
    ):
        for run in runs:
            _expect(run, status, name)
    bare = _median(bare_runs)
    return [
        ("POST /check", _median(check_runs), bare),
        ("POST /rounds/1/proposals", _median(propose_runs), bare),
    ]


def main() -> None:
    """Print the benchmark tables."""
    print("== In process: 4 parties x 10 red lines, full packages")
    for name, value in in_process():
        print(f"  {name:<38} {value:>20}")
    print(
        f"\n== Over HTTP: one uvicorn worker each, {CONCURRENCY} keep-alive connections, "
        "SQLite; median of 3 interleaved runs"
    )
    columns = ("endpoint", "requests", "req/s", "p50 ms", "p99 ms", "bare req/s", "ratio")
    print("  {:<28} {:>8} {:>9} {:>8} {:>8} {:>10} {:>7}".format(*columns))
    bare = None
    for name, result, bare in over_http():
        print(
            f"  {name:<28} {result.requests:>8} {result.rate:>9,.0f} {result.p50:>8.2f} "
            f"{result.percentile(0.99):>8.2f} {bare.rate:>10,.0f} {result.rate / bare.rate:>7.0%}"
        )
    assert bare is not None
    print(
        f"  {'bare FastAPI (baseline)':<28} {bare.requests:>8} {bare.rate:>9,.0f} "
        f"{bare.p50:>8.2f} {bare.percentile(0.99):>8.2f}"
    )
    print(
        "\nTargets: in-process >= 100,000 checks/s; /check >= 50% of bare; "
        "proposals >= 25% of bare."
    )
