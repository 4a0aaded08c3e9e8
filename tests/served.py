"""A real uvicorn server on a free loopback port, on a given database (the e2e and web tests').

Each server is a process of its own, forked from a process that has imported the app and
uvicorn once (multiprocessing's forkserver, one per test process): a server then starts in a
tenth of a second instead of the second that Python spends importing FastAPI, SQLAlchemy,
pydantic and the service (``uvicorn service.main:app`` is what it runs, with the environment
it is given). It is stopped, killed and waited for like any process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import socket
import tempfile
import time
from typing import Any

import httpx

# What the forkserver imports once, so that no server imports it again.
_PRELOAD = [
    "service.api.app",
    "service.db.migrate",
    "alembic.command",
    "uvicorn.config",
    "uvicorn.server",
    "uvicorn.loops.auto",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.websockets.auto",
    "uvicorn.lifespan.on",
    "tests.served",
]


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(port: int, environment: dict[str, str], log: str) -> None:
    """In the forked process: ``uvicorn service.main:app`` with this environment."""
    os.environ.clear()
    os.environ.update(environment)
    with open(log, "w") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
    import uvicorn

    from service.api.app import create_app

    # service.main builds its app from the environment at import, as this does.
    uvicorn.run(create_app(), host="127.0.0.1", port=port, log_level="warning")


class Server:
    """A launched server's process, with the few methods of ``subprocess.Popen`` tests use."""

    def __init__(self, process: Any, log: str) -> None:
        self._process = process
        self.pid: int = process.pid
        self.log = log

    def poll(self) -> int | None:
        """Return the exit code, or None while it runs."""
        code: int | None = self._process.exitcode
        return code

    def send_signal(self, signum: int) -> None:
        """Send the process a signal (SIGKILL: a crash)."""
        if self._process.exitcode is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        """Ask the server to stop (SIGTERM: uvicorn shuts down gracefully)."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Kill the server."""
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the process to end; return its exit code (TimeoutError if it runs on)."""
        self._process.join(timeout)
        code: int | None = self._process.exitcode
        if code is None:
            raise TimeoutError(f"server {self.pid} still runs after {timeout} s")
        return code

    def output(self) -> str:
        """What the server printed."""
        with open(self.log) as log:
            return log.read()


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def launch(database_url: str, port: int | None = None, **env: str) -> tuple[Server, str]:
    """Start a server on the database and wait until it answers; return it and its URL."""
    port = port or free_port()
    environment = {
        **os.environ,
        "PARLEY_DATABASE_URL": database_url,
        "PARLEY_DEADLINE_POLL_SECONDS": "0.5",
        **env,
    }
    # A file, not a pipe: a server that logs much must never block on a full pipe.
    handle, log = tempfile.mkstemp(prefix="parley-server-", suffix=".log")
    os.close(handle)
    process = _context().Process(target=_serve, args=(port, environment, log), daemon=True)
    process.start()
    server = Server(process, log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    # One client for every try: each new one builds an SSL context (~17 ms of CPU).
    with httpx.Client(timeout=1) as http:
        while True:
            try:
                if http.get(f"{url}/summits").status_code == 200:
                    return server, url
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                stop(server)
                raise RuntimeError(f"uvicorn did not start:\n{server.output()}")
            time.sleep(0.02)


def stop(server: Server) -> None:
    """Stop a server started by launch (politely, then not)."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except TimeoutError:
            server.kill()
            server.wait()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(server.log)


def shut_down() -> None:
    """End this process's forkserver, if it started, and wait for it.

    Waited for, it ends within the test run and its servers' CPU time is counted in the
    run's (multiprocessing offers no public way to do this: ``_stop`` is what its own tests
    call).
    """
    multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]
