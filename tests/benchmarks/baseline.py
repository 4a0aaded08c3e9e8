"""The core benchmark before and after, side by side in one run on one machine.

    git worktree add /tmp/parley-before 3412574
    python -m tests.benchmarks core --baseline /tmp/parley-before

The baseline tree's own server (``uvicorn service.main:app`` imported from that tree, with this
interpreter and its packages) and this tree's server face the very same load, interleaved run by
run, beside one bare FastAPI endpoint; each tree's in-process checker is timed by that tree's own
``tests.benchmarks.bench_core.in_process`` in a subprocess of its own. One table, both columns.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tests.benchmarks.bench_core import (
    CONCURRENCY,
    PARTIES,
    _expect,
    _median,
    first_checks,
    proposal_requests,
    scenario,
    setup_summits,
)
from tests.benchmarks.loadgen import LoadResult, request_bytes, run_load
from tests.benchmarks.servers import uvicorn_server
from tests.benchmarks.workload import full_package

HERE = Path(__file__).resolve().parents[2]
REQUESTS = 6000
SUMMITS_PER_RUN = 150
HOST = "127.0.0.1"


def tree_env(tree: Path) -> dict[str, str]:
    """The environment that makes ``tree``'s packages the ones imported."""
    return {"PYTHONPATH": str(tree)}


def describe(tree: Path) -> str:
    """The tree's commit (short hash) when it is a git checkout, else its folder's name."""
    found = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        return tree.name
    dirty = subprocess.run(
        ["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return found.stdout.strip() + (" with uncommitted changes" if dirty else "")


def in_process_of(tree: Path) -> dict[str, str]:
    """Run ``tree``'s own in-process checker benchmark; return its rows by name."""
    code = (
        "import json; from tests.benchmarks.bench_core import in_process; "
        "print(json.dumps(in_process()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tree,
        env={**os.environ, **tree_env(tree)},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def over_http(baseline: Path, repeats: int = 3) -> dict[str, dict[str, LoadResult]]:
    """Serve the bare app, the baseline's service and this tree's side by side; run each load
    ``repeats`` times, interleaved, and keep the median run of each."""
    specs, _agenda, ideals, lines = scenario()
    rng = random.Random(2)
    packages = [full_package(rng, specs) for _ in range(500)]
    runs: dict[str, dict[str, list[LoadResult]]] = {
        side: {"check": [], "proposals": []} for side in ("before", "after")
    }
    bare_runs: list[LoadResult] = []
    with tempfile.TemporaryDirectory() as folder, ExitStack() as servers:
        bare_port = servers.enter_context(uvicorn_server("tests.benchmarks.bare_app:app"))
        ports: dict[str, int] = {}
        summits: dict[str, list[dict[str, Any]]] = {}
        for side, tree in (("before", baseline), ("after", HERE)):
            env = {
                **tree_env(tree),
                "PARLEY_DATABASE_URL": f"sqlite:///{Path(folder) / f'{side}.db'}",
                # Throughput is measured, not the per-token rate limit: it is lifted here.
                "PARLEY_CHECK_RATE": "0",
            }
            ports[side] = servers.enter_context(uvicorn_server("service.main:app", env, cwd=tree))
            base = f"http://{HOST}:{ports[side]}"
            count = 1 + repeats * SUMMITS_PER_RUN
            summits[side] = setup_summits(base, specs, lines, count, ports[side])
        bare_requests = [
            request_bytes("POST", "/bare", {"package": packages[i % len(packages)]})
            for i in range(REQUESTS)
        ]

        def checks(side: str) -> list[bytes]:
            first = summits[side][0]
            return [
                request_bytes(
                    "POST",
                    f"/summits/{first['summit']['id']}/check",
                    {"package": packages[i % len(packages)]},
                    first["tokens"]["parties"][PARTIES[i % len(PARTIES)]],
                )
                for i in range(REQUESTS)
            ]

        check_requests = {side: checks(side) for side in ports}
        run_load(HOST, bare_port, bare_requests[:500], CONCURRENCY)  # warm up
        for side, port in ports.items():
            run_load(HOST, port, check_requests[side][:500], CONCURRENCY)
        for repeat in range(repeats):
            bare_runs.append(run_load(HOST, bare_port, bare_requests, CONCURRENCY))
            for side, port in ports.items():
                runs[side]["check"].append(run_load(HOST, port, check_requests[side], CONCURRENCY))
            for side, port in ports.items():
                start = 1 + repeat * SUMMITS_PER_RUN
                batch = summits[side][start : start + SUMMITS_PER_RUN]
                first_checks(port, batch)
                proposals = proposal_requests(batch, ideals)
                runs[side]["proposals"].append(run_load(HOST, port, proposals, CONCURRENCY))
    for run in bare_runs:
        _expect(run, 200, "bare")
    for side, loads in runs.items():
        for run in loads["check"]:
            _expect(run, 200, f"check ({side})")
        for run in loads["proposals"]:
            _expect(run, 201, f"proposals ({side})")
    medians = {
        side: {name: _median(found) for name, found in loads.items()}
        for side, loads in runs.items()
    }
    medians["bare"] = {"bare": _median(bare_runs)}
    return medians


def main(baseline: str) -> None:
    """Print the before/after table of the core benchmark."""
    tree = Path(baseline).resolve()
    if not (tree / "service" / "main.py").is_file():
        raise SystemExit(f"--baseline {baseline}: not a Parley tree (no service/main.py)")
    before, after = describe(tree), describe(HERE)
    print(f"== Before: {before} ({tree});  after: {after} ({HERE})")
    print("\n== In process: 4 parties x 10 red lines, full packages (each tree's own benchmark)")
    old, new = in_process_of(tree), in_process_of(HERE)
    print(f"  {'':<38} {'before':>20} {'after':>20}")
    for name in dict.fromkeys([*old, *new]):
        print(f"  {name:<38} {old.get(name, '-'):>20} {new.get(name, '-'):>20}")
    print(
        f"\n== Over HTTP: one uvicorn worker each, {CONCURRENCY} keep-alive connections, "
        "SQLite; median of 3 interleaved runs"
    )
    medians = over_http(tree)
    bare = medians["bare"]["bare"]
    columns = ("endpoint", "before req/s", "% bare", "p50 ms", "after req/s", "% bare", "p50 ms")
    print("  {:<26} {:>12} {:>7} {:>7} {:>12} {:>7} {:>7}".format(*columns))
    print(f"  {'bare FastAPI':<26} {bare.rate:>12,.0f} {'100%':>7} {bare.p50:>7.2f}")
    for name, label in (("check", "POST /check"), ("proposals", "POST /rounds/1/proposals")):
        cells = []
        for side in ("before", "after"):
            result = medians[side][name]
            cells.append(
                f"{result.rate:>12,.0f} {result.rate / bare.rate:>7.0%} {result.p50:>7.2f}"
            )
        print(f"  {label:<26} {' '.join(cells)}")
    print(
        "\nTargets: in-process >= 100,000 checks/s; /check >= 50% of bare; "
        "proposals no lower than before and toward 25% of bare."
    )
