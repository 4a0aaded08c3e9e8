"""A real uvicorn server on a free loopback port, on a given database (the e2e and web tests')."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch(
    database_url: str, port: int | None = None, **env: str
) -> tuple[subprocess.Popen[str], str]:
    """Start uvicorn on the database and wait until it answers; return it and its URL."""
    port = port or free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - lives as long as the server
    environment = {
        **os.environ,
        "PARLEY_DATABASE_URL": database_url,
        "PARLEY_DEADLINE_POLL_SECONDS": "0.5",
        **env,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "service.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=environment,
        # A file, not a pipe: a server that logs much must never block on a full pipe.
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/summits", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            log.seek(0)
            output = log.read()
            raise RuntimeError(f"uvicorn did not start:\n{output}")
        time.sleep(0.05)


def stop(process: subprocess.Popen[str]) -> None:
    """Stop a server started by launch (politely, then not)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
