"""The agenda as a client sees it (from GET /summits/{id}): each issue's values, in order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clients.models import Value


@dataclass(frozen=True)
class IssueDomain:
    """One issue's values, in order."""

    key: str
    kind: str
    values: tuple[Value, ...]

    def position(self, value: Value) -> int:
        """Return the ordinal of a value: option index, the integer itself, or 0/1."""
        if self.kind == "options":
            return self.values.index(value)
        return int(value)


class Agenda:
    """The issues of a summit as the client sees them (from GET /summits/{id})."""

    def __init__(self, issues: Sequence[Mapping[str, Any]]) -> None:
        self.issues: list[IssueDomain] = []
        for spec in issues:
            if spec["kind"] == "options":
                values: tuple[Value, ...] = tuple(spec["options"])
            elif spec["kind"] == "integer":
                values = tuple(range(int(spec["min"]), int(spec["max"]) + 1))
            else:
                values = (False, True)
            self.issues.append(IssueDomain(spec["key"], spec["kind"], values))
        self.by_key = {issue.key: issue for issue in self.issues}

    @property
    def keys(self) -> list[str]:
        """Issue keys in agenda order."""
        return [issue.key for issue in self.issues]
