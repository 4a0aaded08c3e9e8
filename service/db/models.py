"""The tables of the service, one declaration each, and their records.

Each class declares its table (the schema itself comes only from migrations) and is the
dataclass repositories return: services read and change records, repositories write them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.sql.expression import true

from service.db.base import JSONValue, UTCDateTime, column, table

KEY = 63


@table("summit")
class SummitRow:
    """A summit: agenda, protocol, where its rounds stand, and the head of its event chain."""

    id: str = column(String(32), primary_key=True)
    title: str = column(String(200))
    status: str = column(String(16), index=True)
    outcome: str | None = column(String(16))
    settlement: dict[str, Any] | None = column(JSONValue)
    settlement_proposal_id: int | None = column(Integer)
    agenda: list[dict[str, Any]] = column(JSONValue)
    protocol: dict[str, Any] = column(JSONValue)
    round_number: int | None = column(Integer)
    phase: str | None = column(String(16))
    phase_deadline_at: datetime | None = column(UTCDateTime, index=True)
    red_lines_rev: int = column(Integer, default=0)
    last_seq: int = column(Integer, default=0)
    last_hash: str = column(String(64))
    created_at: datetime = column(UTCDateTime)
    started_at: datetime | None = column(UTCDateTime)
    concluded_at: datetime | None = column(UTCDateTime)


@table("party", UniqueConstraint("summit_id", "key"))
class PartyRow:
    """A delegation at the table."""

    id: int = column(Integer, primary_key=True, autoincrement=True, default=None)
    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"))
    key: str = column(String(KEY))
    name: str = column(String(200))
    position: int = column(Integer)


@table("credential")
class CredentialRow:
    """A bearer token: its public selector and the SHA-256 of its secret part."""

    id: str = column(String(32), primary_key=True)
    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"), index=True)
    role: str = column(String(16))
    party_key: str | None = column(String(KEY))
    secret_hash: str = column(String(64))
    created_at: datetime = column(UTCDateTime)


@table("red_line")
class RedLineRow:
    """A party's red line: its text, parsed tree, visibility and status."""

    id: int = column(Integer, primary_key=True, autoincrement=True, default=None)
    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"), index=True)
    party_key: str = column(String(KEY))
    label: str = column(String(200))
    expr: str = column(Text)
    tree: dict[str, Any] = column(JSONValue)
    visibility: str = column(String(16))
    status: str = column(String(16))
    rationale: str = column(Text, default="")
    declared_round: int | None = column(Integer)
    created_at: datetime = column(UTCDateTime)
    relaxed_at: datetime | None = column(UTCDateTime, default=None)
    relax_note: str | None = column(Text, default=None)
    # The relaxation rule declared with the red line: never, from a round on, or any time.
    relaxable: bool = column(Boolean, default=True, server_default=true())
    relax_after_round: int | None = column(Integer, default=None)


@table("preferences")
class PreferencesRow:
    """A party's private utility document."""

    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"), primary_key=True)
    party_key: str = column(String(KEY), primary_key=True)
    document: dict[str, Any] = column(JSONValue)
    updated_at: datetime = column(UTCDateTime)


@table(
    "proposal",
    UniqueConstraint("summit_id", "round", "party_key"),
    Index("ix_proposal_summit_round", "summit_id", "round"),
)
class ProposalRow:
    """A package tabled in a round; ``party_key`` is None for a mediator text."""

    id: int = column(Integer, primary_key=True, autoincrement=True, default=None)
    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: int = column(Integer)
    party_key: str | None = column(String(KEY))
    package: dict[str, Any] = column(JSONValue)
    complete: bool = column(Boolean)
    rationale: str = column(Text, default="")
    check_report: dict[str, Any] = column(JSONValue)
    created_at: datetime = column(UTCDateTime)


@table("round_pass", UniqueConstraint("summit_id", "round", "party_key"))
class PassRow:
    """A party (or, in a mediated summit, the convener: None) passing a proposals phase."""

    id: int = column(Integer, primary_key=True, autoincrement=True, default=None)
    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: int = column(Integer)
    party_key: str | None = column(String(KEY))
    created_at: datetime = column(UTCDateTime)


@table(
    "response",
    UniqueConstraint("proposal_id", "party_key"),
    Index("ix_response_summit_round", "summit_id", "round"),
)
class ResponseRow:
    """A party's answer to a full proposal; ``defaulted`` when the deadline answered for it."""

    id: int = column(Integer, primary_key=True, autoincrement=True, default=None)
    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: int = column(Integer)
    proposal_id: int = column(ForeignKey("proposal.id", ondelete="CASCADE"))
    party_key: str = column(String(KEY))
    verdict: str = column(String(8))
    note: str = column(Text, default="")
    defaulted: bool = column(Boolean, default=False)
    created_at: datetime = column(UTCDateTime)


@table("concession", Index("ix_concession_summit_party", "summit_id", "party_key"))
class ConcessionRow:
    """A ledger entry: an explicit concession, one derived from proposals, or a relaxed red line."""

    id: int = column(Integer, primary_key=True, autoincrement=True, default=None)
    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: int | None = column(Integer)
    party_key: str = column(String(KEY))
    kind: str = column(String(16))
    issue: str | None = column(String(KEY), default=None)
    from_value: Any = column(JSONValue, nullable=True, default=None)
    to_value: Any = column(JSONValue, nullable=True, default=None)
    red_line_id: int | None = column(Integer, default=None)
    proposal_id: int | None = column(Integer, default=None)
    utility_change: float | None = column(Float, default=None)
    note: str = column(Text, default="")
    created_at: datetime = column(UTCDateTime)


@table("event")
class EventRow:
    """One entry of a summit's hash-chained event log."""

    summit_id: str = column(ForeignKey("summit.id", ondelete="CASCADE"), primary_key=True)
    seq: int = column(Integer, primary_key=True)
    at: datetime = column(UTCDateTime)
    type: str = column(String(40))
    actor: str = column(String(80))
    data: dict[str, Any] = column(JSONValue)
    hash: str = column(String(64))
