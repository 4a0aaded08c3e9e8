"""Run benchmarks: ``python -m tests.benchmarks [NAME ...]`` (default: core).

core: the checker and the hot endpoints beside a bare app; stages: one proposal's time by
stage; memory: one summit's red lines declared and checked many times; flood: the largest
allowed requests from one client while another's GET is timed; summit: whole summits;
solver: the solver beside negmas; web: pages and event-to-screen latency in Chromium;
review: a round's state, the debrief and the outcome's measures.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "core": "bench_core",
    "stages": "proposal_stages",
    "memory": "bench_memory",
    "flood": "bench_flood",
    "summit": "bench_summit",
    "solver": "bench_solver",
    "web": "bench_web",
    "review": "bench_review",
}


def main(argv: list[str]) -> None:
    """Run each benchmark named on the command line, in order."""
    for name in argv or ["core"]:
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; try: {', '.join(BENCHMARKS)}")
        importlib.import_module(f"tests.benchmarks.{BENCHMARKS[name]}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
