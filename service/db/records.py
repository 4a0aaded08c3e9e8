"""Plain records of the hot tables, read and written with SQLAlchemy Core.

The ORM classes in ``models.py`` define the schema (and serve the colder paths); the moves of
a negotiation, its summit row and its event log are handled as these records, with Core
statements on the same tables, which costs about a third of the ORM's time per statement.
Field names are the column names.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Row, Table

from service.db.models import (
    ConcessionRow,
    EventRow,
    PassRow,
    ProposalRow,
    ResponseRow,
    SummitRow,
)

SUMMIT: Table = SummitRow.__table__  # type: ignore[assignment]
PROPOSAL: Table = ProposalRow.__table__  # type: ignore[assignment]
PASS: Table = PassRow.__table__  # type: ignore[assignment]
RESPONSE: Table = ResponseRow.__table__  # type: ignore[assignment]
CONCESSION: Table = ConcessionRow.__table__  # type: ignore[assignment]
EVENT: Table = EventRow.__table__  # type: ignore[assignment]

R = TypeVar("R")


@dataclass(slots=True)
class SummitRecord:
    """A summit row; services change its fields and the repository saves what changed."""

    id: str
    title: str
    status: str
    outcome: str | None
    settlement: dict[str, Any] | None
    settlement_proposal_id: int | None
    agenda: list[dict[str, Any]]
    protocol: dict[str, Any]
    round_number: int | None
    phase: str | None
    phase_deadline_at: datetime | None
    red_lines_rev: int
    last_seq: int
    last_hash: str
    created_at: datetime
    started_at: datetime | None
    concluded_at: datetime | None


@dataclass(slots=True)
class ProposalRecord:
    """A package tabled in a round; ``party_key`` is None for a mediator text."""

    summit_id: str
    round: int
    party_key: str | None
    package: dict[str, Any]
    complete: bool
    rationale: str
    check_report: dict[str, Any]
    created_at: datetime
    id: int = 0


@dataclass(slots=True)
class PassRecord:
    """A pass in a proposals phase."""

    summit_id: str
    round: int
    party_key: str | None
    created_at: datetime
    id: int = 0


@dataclass(slots=True)
class ResponseRecord:
    """An answer to a full proposal."""

    summit_id: str
    round: int
    proposal_id: int
    party_key: str
    verdict: str
    note: str
    defaulted: bool
    created_at: datetime
    id: int = 0


@dataclass(slots=True)
class ConcessionRecord:
    """An entry of the concession ledger."""

    summit_id: str
    round: int | None
    party_key: str
    kind: str
    created_at: datetime
    issue: str | None = None
    from_value: Any = None
    to_value: Any = None
    red_line_id: int | None = None
    proposal_id: int | None = None
    utility_change: float | None = None
    note: str = ""
    id: int = 0


@dataclass(slots=True)
class EventRecord:
    """One event of a summit's hash-chained log."""

    summit_id: str
    seq: int
    at: datetime
    type: str
    actor: str
    data: dict[str, Any]
    hash: str


def from_row(kind: type[R], row: Row[Any]) -> R:
    """Build a record from a Core result row."""
    return kind(**row._mapping)


def values(record: object, *, without: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    """Return a record's column values for an INSERT (without its generated id)."""
    return {f.name: getattr(record, f.name) for f in fields(record) if f.name not in without}  # type: ignore[arg-type]
