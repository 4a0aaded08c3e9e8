"""What the commands share: a server (given or embedded), exit codes, errors a person can act on.

Every user mistake ends in one line ``error: ...`` on standard error (one per problem, each
naming the file, line and column where there is one, and what is allowed) and a distinct
exit code; never a traceback.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

if TYPE_CHECKING:
    from clients.errors import ApiError

# The client library, the scenario and script readers and httpx are imported where they are
# used, not here: every command imports this module, and `parley --help` needs none of them.

T = TypeVar("T")
P = ParamSpec("P")
console = Console()


class Exit(IntEnum):
    """The exit codes of every command (listed in ``parley --help`` and the README)."""

    OK = 0
    REFUSED = 1  # the server refused (out of turn, forbidden) or failed
    USAGE = 2  # a bad option, argument or file (scenario, script, package)
    VIOLATION = 3  # a check found a broken red line, or a record failed verification
    NOT_FOUND = 4  # no such summit, scenario, file or database
    UNREACHABLE = 5  # no server answers at --server
    INTERRUPTED = 130  # Ctrl-C (as shells count it)


EXIT_MEANINGS = {
    Exit.OK: "done",
    Exit.REFUSED: "refused by the server (out of turn, not allowed) or a failed run",
    Exit.USAGE: "usage error: a bad option, argument or file (scenario, script, package)",
    Exit.VIOLATION: "a red line is broken (check) or the record does not verify (verify)",
    Exit.NOT_FOUND: "not found: no such summit, scenario, file or database",
    Exit.UNREACHABLE: "no server answers at --server",
    Exit.INTERRUPTED: "interrupted (Ctrl-C)",
}
EXIT_CODES_HELP = "Exit codes:\n\n" + "\n\n".join(
    f"{int(code)} {meaning}" for code, meaning in EXIT_MEANINGS.items()
)


class CliError(Exception):
    """A mistake to report in one line, with its exit code."""

    def __init__(self, message: str, code: Exit = Exit.USAGE) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: Exit = Exit.USAGE) -> NoReturn:
    """Print ``error: message`` and exit with ``code``.

    Each line of the message is an error of its own, except indented lines: those explain
    the error above them (where, what is allowed, what to do).
    """
    for line in message.splitlines() or [""]:
        typer.echo(line if line.startswith(" ") else f"error: {line}", err=True)
    raise typer.Exit(int(code))


def describe(error: ApiError) -> str:
    """Render a server's error as text: what, where, what is allowed (never a Python repr)."""
    lines = [f"{error.message} ({error.status} {error.code})"]
    details = error.details
    if isinstance(details, dict) and isinstance(details.get("errors"), list):
        for item in details["errors"]:
            lines.append("  " + _problem(item))
        details = {k: v for k, v in details.items() if k != "errors"}
    if isinstance(details, dict):
        for key, value in details.items():
            shown = _shown(value)
            if shown not in error.message:  # not what the message says already
                lines.append(f"  {key}: {shown}")
    elif details is not None:
        lines.append(f"  {_shown(details)}")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    """Render a JSON value for people: lists joined, an issue's domain in words."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict) and isinstance(value.get("options"), list):
        return "one of " + ", ".join(map(str, value["options"]))
    if isinstance(value, dict) and {"min", "max"} <= set(value):
        return f"an integer from {value['min']} to {value['max']}"
    if isinstance(value, dict) and value.get("kind") == "boolean":
        return "true or false"
    return json.dumps(value, ensure_ascii=False)


def _problem(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    loc = item.get("loc")
    where = ".".join(str(part) for part in loc) if isinstance(loc, list) else ""
    if item.get("line") is not None:
        where += f" (line {item['line']}, column {item.get('column')})"
    text = f"at {where}: " if where else ""
    text += str(item.get("message") or item.get("msg") or "")
    expected = item.get("expected") or item.get("allowed")
    if expected:
        shown = _shown(expected)
        if shown not in text:
            text += f" (allowed: {shown})"
    return text


@contextmanager
def user_errors(server_url: str | None = None) -> Iterator[None]:
    """Turn every error a person can cause into ``error: ...`` and its exit code."""
    from clients.embedded import EmbeddedServerError
    from clients.errors import ApiError, InvalidInput, NotFound, ParleyError, TransportError
    from clients.scenario import ScenarioError
    from clients.script import ScriptError

    try:
        yield
    except CliError as error:
        fail(str(error), error.code)
    except ScenarioError as error:
        fail("\n".join(error.lines()), Exit.NOT_FOUND if error.missing else Exit.USAGE)
    except ScriptError as error:
        fail(str(error), Exit.REFUSED if error.refused else Exit.USAGE)
    except NotFound as error:
        fail(describe(error), Exit.NOT_FOUND)
    except InvalidInput as error:
        fail(describe(error), Exit.USAGE)
    except ApiError as error:
        fail(describe(error), Exit.REFUSED)
    except TransportError as error:
        fail(unreachable(server_url, str(error)), Exit.UNREACHABLE)
    except EmbeddedServerError as error:
        fail(str(error), Exit.REFUSED)
    except ParleyError as error:
        fail(str(error), Exit.REFUSED)
    except KeyboardInterrupt:
        fail("interrupted", Exit.INTERRUPTED)


def handles_errors(command: Callable[P, T]) -> Callable[P, T]:
    """Decorate a command so that no user mistake ends in a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with user_errors(kwargs.get("server_url")):  # type: ignore[arg-type]
            return command(*args, **kwargs)

    return wrapper


def unreachable(url: str | None, why: str = "") -> str:
    """Say that nothing answers at ``url`` and how to start a server."""
    where = url or "the server"
    reason = f" ({why})" if why else ""
    return (
        f"no Parley server answers at {where}{reason}\n"
        "  start one with `parley serve` (it listens on http://127.0.0.1:8000),\n"
        "  or leave out --server to use an embedded server on --database"
    )


def probe(url: str) -> None:
    """Fail with exit 5 unless a Parley server answers at ``url``."""
    import httpx

    try:
        response = httpx.get(f"{url}/summits", params={"limit": 1}, timeout=5)
    except httpx.HTTPError as error:
        fail(unreachable(url, type(error).__name__), Exit.UNREACHABLE)
    if response.status_code != 200:
        fail(
            f"{url} answers, but not as a Parley server (GET /summits: {response.status_code})",
            Exit.UNREACHABLE,
        )


@contextmanager
def server(url: str | None, database: Path, *, read_only: bool = False) -> Iterator[str]:
    """Yield the given server's URL, or start an embedded one on ``database`` for the block.

    A command that only reads needs a database that exists: it never creates an empty one.
    """
    from clients.embedded import embedded_server

    if url:
        base = url.rstrip("/")
        probe(base)
        yield base
        return
    if read_only and not database.exists():
        fail(
            f"no database at {database}: nothing was played there\n"
            "  play a summit first (`parley summit run river-treaty`), or give --database\n"
            "  an existing file, or --server a running server",
            Exit.NOT_FOUND,
        )
    status = console.status(f"starting an embedded server on {database}")
    status.start()
    try:
        with embedded_server(database) as base:
            status.stop()
            yield base
    finally:
        status.stop()


def run(work: Callable[[], Coroutine[object, object, T]], server_url: str | None = None) -> T:
    """Run a coroutine, reporting what a person can get wrong as ``error: ...``."""
    import asyncio

    with user_errors(server_url):
        return asyncio.run(work())


ServerOption = typer.Option(
    None,
    "--server",
    help="A running Parley server's URL; without it, an embedded server is started.",
)
DatabaseOption = typer.Option(
    Path("parley.db"),
    "--database",
    help="The SQLite file of the embedded server (as `parley serve`).",
)
TokenOption = typer.Option(
    None, "--token", envvar="PARLEY_TOKEN", help="A bearer token to act or read with."
)
