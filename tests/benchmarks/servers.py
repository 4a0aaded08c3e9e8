"""Serving an app with uvicorn in a subprocess, the same way for every contender."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.served import free_port


@contextmanager
def uvicorn_server(
    app: str,
    env: dict[str, str] | None = None,
    ready_path: str = "/summits",
    cwd: Path | None = None,
) -> Iterator[int]:
    """Run ``uvicorn app`` (one worker, no access log) and yield its port once it answers.

    ``cwd`` (with PYTHONPATH in ``env``) serves the app of another checkout, such as a baseline.
    """
    with uvicorn_process(app, env, ready_path, cwd) as (port, _pid):
        yield port


@contextmanager
def uvicorn_process(
    app: str,
    env: dict[str, str] | None = None,
    ready_path: str = "/summits",
    cwd: Path | None = None,
) -> Iterator[tuple[int, int]]:
    """Run ``uvicorn app`` like uvicorn_server; yield its port and its process id."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, cwd=cwd)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}{ready_path}", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not start") from None
                time.sleep(0.1)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)
