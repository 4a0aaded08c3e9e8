"""An embedded Parley server: ``uvicorn service.main:app`` in a subprocess on a SQLite file.

The app is named by its import path only; the clients package never imports the service.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


class EmbeddedServerError(RuntimeError):
    """The embedded server did not start (its output says why)."""


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def embedded_server(
    database: Path, *, port: int | None = None, timeout: float = 30.0
) -> Iterator[str]:
    """Serve Parley on a loopback port with ``database`` (SQLite); yield its base URL."""
    port = port or free_port()
    env = {**os.environ, "PARLEY_DATABASE_URL": f"sqlite:///{database.resolve()}"}
    command = [
        sys.executable, "-m", "uvicorn", "service.main:app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        # One client for every try: each new one builds an SSL context (~17 ms of CPU).
        with httpx.Client(timeout=1) as http:
            while True:
                try:
                    if http.get(f"{url}/summits", params={"limit": 1}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    output = (
                        process.stdout.read()
                        if process.stdout and process.poll() is not None
                        else ""
                    )
                    raise EmbeddedServerError(f"the embedded server did not start:\n{output}")
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
