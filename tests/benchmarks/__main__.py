"""Run benchmarks: ``python -m tests.benchmarks [NAME ...] [--baseline TREE]`` (default: core).

``core --baseline TREE`` runs the core benchmark against TREE (an older checkout, e.g. a git
worktree) and this tree side by side in one run, and prints one table of both.

core: the checker and the hot endpoints beside a bare app; stages: one proposal's time by
stage; memory: one summit's red lines declared and checked many times; flood: the largest
allowed requests from one client while another's GET is timed; summit: whole summits;
solver: the solver beside negmas; web: pages and event-to-screen latency in Chromium;
review: a round's state, the debrief and the outcome's measures.
"""

from __future__ import annotations

import argparse
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
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks")
    parser.add_argument("names", nargs="*", default=["core"], metavar="NAME")
    parser.add_argument(
        "--baseline", metavar="TREE", help="core: an older checkout to compare with, side by side"
    )
    options = parser.parse_args(argv)
    for name in options.names:
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; try: {', '.join(BENCHMARKS)}")
    if options.baseline and "core" not in options.names:
        raise SystemExit("--baseline goes with the core benchmark")
    for name in options.names:
        if name == "core" and options.baseline:
            importlib.import_module("tests.benchmarks.baseline").main(options.baseline)
        else:
            importlib.import_module(f"tests.benchmarks.{BENCHMARKS[name]}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
