"""What the benchmarks measure with: quantiles of latencies and a process's memory."""

from __future__ import annotations

import os
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mib(pid: int | None = None) -> float:
    """The resident memory of a process (this one by default) in MiB (Linux)."""
    status = Path(f"/proc/{pid if pid is not None else os.getpid()}/status")
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
