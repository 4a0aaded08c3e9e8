"""Run a benchmark: ``python -m tests.benchmarks core`` (more to come)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    """Dispatch to the benchmark named on the command line."""
    names = argv or ["core"]
    for name in names:
        if name == "core":
            from tests.benchmarks.bench_core import main as run
        else:
            raise SystemExit(f"unknown benchmark {name!r}; try: core")
        run()


if __name__ == "__main__":
    main(sys.argv[1:])
