"""A small keep-alive HTTP/1.1 load generator on raw asyncio streams.

It is cheap per request, so on a two-core machine the server, not the client, is what is
measured; both the service and the bare baseline face the very same generator.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tests.benchmarks.stats import percentile


def request_bytes(method: str, path: str, body: Any = None, token: str | None = None) -> bytes:
    """Encode one HTTP/1.1 request."""
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", "Host: bench", f"Content-Length: {len(payload)}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass
class LoadResult:
    """Throughput and latency of one load run."""

    requests: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        """Latency percentile in milliseconds."""
        return 1000 * percentile(self.latencies, q)

    @property
    def p50(self) -> float:
        """Median latency (ms)."""
        return 1000 * statistics.median(self.latencies)


async def _worker(
    host: str, port: int, next_request: Callable[[], bytes | None], result: LoadResult
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (request := next_request()) is not None:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] = result.statuses.get(status, 0) + 1
    finally:
        writer.close()


def run_load(host: str, port: int, requests: Sequence[bytes], concurrency: int) -> LoadResult:
    """Send every request over ``concurrency`` keep-alive connections; measure the whole run."""
    queue = iter(requests)

    def next_request() -> bytes | None:
        return next(queue, None)

    result = LoadResult(len(requests), 0.0, [], {})

    async def main() -> None:
        await asyncio.gather(
            *(_worker(host, port, next_request, result) for _ in range(concurrency))
        )

    started = time.perf_counter()
    asyncio.run(main())
    result.seconds = time.perf_counter() - started
    return result
