"""The record as the services answer it: its verification and the whole history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from service.services.results.concessions import ConcessionRead
from service.services.results.red_lines import RedLineRead
from service.services.results.rounds import RoundRead
from service.services.results.summits import SummitRead


@dataclass(frozen=True)
class VerifyRead:
    """The outcome of recomputing the hash chain."""

    valid: bool
    events: int
    first_bad_seq: int | None
    head: str


@dataclass(frozen=True)
class LedgerEntry:
    """A party's concessions."""

    count: int
    concessions: list[ConcessionRead]


@dataclass(frozen=True)
class RecordHead:
    """The record's size and the hash at its head."""

    events: int
    head: str


@dataclass(frozen=True)
class HistoryRead:
    """The whole record of a summit by round, with the concession ledger."""

    summit: SummitRead
    rounds: list[RoundRead]
    ledger: dict[str, LedgerEntry]
    record: RecordHead
    red_lines: Annotated[
        list[RedLineRead], Field(description="Every red line, redacted for the caller.")
    ]
