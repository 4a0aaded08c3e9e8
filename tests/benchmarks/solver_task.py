"""One measurement in its own process: ``python -m tests.benchmarks.solver_task TOOL TASK N SEED``.

Builds the problem of ``N`` issues (and ``SEED``), then runs one task with one tool and prints a JSON line:
seconds, the peak memory the task added (resident set, MiB) and the result. A fresh process
per measurement keeps each tool's memory apart; the peak is measured by resetting the
kernel's high-water mark just before the task (Linux ``/proc/self/clear_refs``).
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.solver_problems import PARTIES, Problem, generate

FRONTIER_POINTS = 200  # our walk stops here, or after PARETO_SECONDS, on agendas too large
PARETO_SECONDS = 30.0  # to walk to the end


def _rss_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # not Linux: the peak then includes the setup
        Path("/proc/self/clear_refs").write_text("5")


def ours(problem: Problem, task: str) -> Any:
    """Prepare Parley's solver on the problem; return the task to time."""
    from service.analysis.feasibility import analyse
    from service.analysis.frontier import frontier
    from service.analysis.mediation import suggest
    from service.analysis.solve import Limits
    from service.domain.agenda import build_agenda
    from service.domain.preferences import build_preferences
    from service.domain.redline import parse_expr
    from service.domain.redline.red_line import RedLine

    agenda = build_agenda(problem.issues)
    limits = Limits(seconds=120, workers=2)

    def lines(with_conflicts: bool) -> list[RedLine]:
        specs = problem.active(with_conflicts=with_conflicts)
        return [
            RedLine(i + 1, spec.party, f"line {i + 1}", spec.expr, parse_expr(spec.expr, agenda))
            for i, spec in enumerate(specs)
        ]

    prefs = {p: build_preferences(doc, agenda) for p, doc in problem.preferences.items()}
    deal = lines(False)

    if task in ("nash", "maximin"):

        def run() -> dict[str, Any]:
            found = suggest(agenda, deal, prefs, task, limits=limits)
            best = found.suggestions[0]
            return {"value": best.value, "status": best.status, "gap": best.gap}

        return run
    if task == "pareto":

        def run() -> dict[str, Any]:
            walk = frontier(
                agenda,
                deal,
                prefs,
                "p0",
                "p1",
                limit=FRONTIER_POINTS,
                limits=Limits(seconds=PARETO_SECONDS, workers=2),
            )
            pairs = sorted(
                {(round(p.utilities["p0"], 6), round(p.utilities["p1"], 6)) for p in walk.points}
            )
            return {"points": len(pairs), "complete": walk.complete, "pairs": pairs}

        return run
    every = lines(True)

    def conflicts() -> dict[str, Any]:
        found = analyse(agenda, every, limit=5, limits=limits)
        return {
            "feasible": found.feasible,
            "sets": len(found.conflicts),
            "sizes": sorted(len(c) for c in found.conflicts),
            "exhaustive": found.exhausted,
        }

    return conflicts


def theirs(problem: Problem, task: str) -> Any:
    """Prepare negmas on the problem; return the task to time."""
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import nash_points, pareto_frontier

    issues = [make_issue(values=issue["options"], name=issue["key"]) for issue in problem.issues]
    constraints = [spec.holds for spec in problem.active(with_conflicts=False)]

    def ufun(party: str, reserved: float, constrained: bool) -> Any:
        doc = problem.preferences[party]
        total = sum(doc["weights"].values())
        return LinearAdditiveUtilityFunction(
            values={key: dict(table) for key, table in doc["scores"].items()},
            weights={key: w / total for key, w in doc["weights"].items()},
            issues=issues,
            reserved_value=reserved,
            # An outcome breaking a red line is worth -inf, and the frontier skips it.
            constraints=constraints if constrained else None,
        )

    if task in ("nash", "maximin"):
        ufuns = [
            ufun(p, problem.preferences[p]["reservation"], i == 0) for i, p in enumerate(PARTIES)
        ]
        reserved = [u.reserved_value for u in ufuns]

        def run() -> dict[str, Any]:
            points, _ = pareto_frontier(ufuns, issues=issues)
            if task == "nash":
                best = nash_points(ufuns, points, ranges=[(0.0, 1.0)] * len(ufuns))
                value = math.prod(u - r for u, r in zip(best[0][0], reserved, strict=True))
            else:
                value = max(min(u - r for u, r in zip(p, reserved, strict=True)) for p in points)
            return {"value": value, "status": "optimal"}

        return run
    if task == "pareto":
        pair = [ufun("p0", float("-inf"), True), ufun("p1", float("-inf"), False)]

        def run() -> dict[str, Any]:
            points, _ = pareto_frontier(pair, issues=issues)
            pairs = sorted({(round(p[0], 6), round(p[1], 6)) for p in points})
            return {"points": len(pairs), "complete": True, "pairs": pairs}

        return run
    return None


def main(argv: list[str]) -> None:
    """Run one measurement and print it as JSON."""
    tool, task, n, seed = argv[0], argv[1], int(argv[2]), int(argv[3])
    problem = generate(n, seed)
    prepare = ours if tool == "parley" else theirs
    run = prepare(problem, task)
    if run is None:
        print(json.dumps({"result": None}))
        return
    before = _rss_mib("VmRSS")
    _reset_peak()
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    peak = max(_rss_mib("VmHWM"), before)
    print(json.dumps({"seconds": seconds, "peak_mib": peak - before, "result": result}))


if __name__ == "__main__":
    main(sys.argv[1:])
