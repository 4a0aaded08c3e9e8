"""One database transaction, and what the work inside it shares until it commits.

The service's one way to the database: ``Database.transaction`` opens a ``Transaction`` on a
SQLAlchemy ``Connection``, repositories run their statements on it, and it commits on success
and rolls back on any error. No ORM session: records are dataclasses that repositories build
from rows and write with explicit statements, so nothing needs tracking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, CursorResult, Executable

Hook = Callable[[], None]


class Transaction:
    """A transaction on one connection, its commit hooks, and signals for after the commit."""

    __slots__ = ("_after", "_before", "_signals", "connection", "dialect", "info")

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect: str = connection.dialect.name
        # What the services running in this transaction share (the app's summit cache).
        self.info: dict[str, Any] = {}
        self._before: list[Hook] = []
        self._after: list[Hook] = []
        self._signals: set[tuple[str, str]] = set()

    def execute(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> CursorResult[Any]:
        """Run a statement in this transaction (for SQL that varies with its arguments)."""
        return self.connection.execute(statement, parameters)

    def before_commit(self, hook: Hook) -> None:
        """Run ``hook`` just before the transaction commits (to write pending changes)."""
        self._before.append(hook)

    def after_commit(self, hook: Hook) -> None:
        """Run ``hook`` once the transaction has committed (never if it rolls back)."""
        self._after.append(hook)

    def signal(self, kind: str, summit_id: str) -> None:
        """Queue a signal (``event``: the log grew; ``deadline``: a phase deadline moved).

        Listeners of the Database hear each queued signal once, after the transaction commits,
        and never when it rolls back.
        """
        self._signals.add((kind, summit_id))

    def signalled(self, kind: str, summit_id: str) -> bool:
        """Say whether this transaction has already queued that signal."""
        return (kind, summit_id) in self._signals

    def run_before_commit(self) -> None:
        """Run the hooks that write pending changes (the Database calls this)."""
        for hook in self._before:
            hook()

    def committed(self, listeners: list[Callable[[str, str], None]]) -> None:
        """Run the after-commit hooks, then tell each listener of each queued signal."""
        for hook in self._after:
            hook()
        for kind, summit_id in sorted(self._signals):
            for listener in listeners:
                listener(kind, summit_id)
