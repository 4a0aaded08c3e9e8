"""Run benchmarks: ``python -m tests.benchmarks [core] [stages] [summit] [solver] [flood]``
(default: core; stages profiles one proposal's time by stage; flood floods one summit while
timing another's GET)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    """Dispatch to the benchmark named on the command line."""
    names = argv or ["core"]
    for name in names:
        if name == "core":
            from tests.benchmarks.bench_core import main as run
        elif name == "stages":
            from tests.benchmarks.proposal_stages import main as run
        elif name == "summit":
            from tests.benchmarks.bench_summit import main as run
        elif name == "solver":
            from tests.benchmarks.bench_solver import main as run
        elif name == "flood":
            from tests.benchmarks.bench_flood import main as run
        else:
            raise SystemExit(
                f"unknown benchmark {name!r}; try: core, stages, summit, solver, flood"
            )
        run()


if __name__ == "__main__":
    main(sys.argv[1:])
