"""Memory and cost of one summit's red lines declared and checked many times.

    python -m tests.benchmarks memory

In process (the real app over httpx's ASGI transport, SQLite): 200 red lines are declared
on one summit, each followed by a check, as delegations do. Prints the process's resident
memory growth and the time of a declaration plus a check, early and late.
"""

from __future__ import annotations

import asyncio
import gc
import random
import tempfile
import time
from pathlib import Path

import httpx

from service.api.app import create_app
from service.settings import Settings
from tests.benchmarks.bench_core import PARTIES, scenario
from tests.benchmarks.stats import rss_mib
from tests.benchmarks.workload import full_package, red_lines

DECLARATIONS = 200


async def _run(folder: str) -> tuple[float, float, float]:
    specs, _agenda, _ideals, _lines = scenario()
    rng = random.Random(5)
    texts = red_lines(rng, specs, DECLARATIONS)
    app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'm.db'}"))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://m") as http,
    ):
        body = {
            "title": "memory",
            "issues": specs,
            "parties": [{"key": p, "name": p} for p in PARTIES],
            "protocol": {"max_rounds": 3},
        }
        created = (await http.post("/summits", json=body)).json()
        summit, tokens = created["summit"]["id"], created["tokens"]["parties"]
        package = full_package(rng, specs)
        gc.collect()
        before = rss_mib()
        steps = []
        for i, text in enumerate(texts):
            party = PARTIES[i % len(PARTIES)]
            auth = {"Authorization": f"Bearer {tokens[party]}"}
            started = time.perf_counter()
            declared = await http.post(
                f"/summits/{summit}/parties/{party}/red-lines",
                json={"label": str(i), "expr": text, "visibility": "private"},
                headers=auth,
            )
            checked = await http.post(
                f"/summits/{summit}/check", json={"package": package}, headers=auth
            )
            steps.append(time.perf_counter() - started)
            if (declared.status_code, checked.status_code) != (201, 200):
                raise RuntimeError(f"step {i}: {declared.text} {checked.text}")
        gc.collect()
        after = rss_mib()
    return after - before, sum(steps[:20]) / 20, sum(steps[-20:]) / 20


def main() -> None:
    """Print the table."""
    with tempfile.TemporaryDirectory() as folder:
        grown, first, last = asyncio.run(_run(folder))
    print(f"== One summit, {DECLARATIONS} red lines declared, a check after each (in process)")
    print(f"  {'resident memory growth':<44} {grown:>8.0f} MiB")
    print(f"  {'declare + check, first 20 (mean)':<44} {first * 1e3:>8.2f} ms")
    print(f"  {'declare + check, last 20 (mean)':<44} {last * 1e3:>8.2f} ms")


if __name__ == "__main__":
    main()
