"""The tables of the service, one declaration each, and their records.

Each class declares its table (the schema itself comes only from migrations) and is the
dataclass repositories return: services read and change records, repositories write them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import true

from service.db.base import Base, JSONValue, UTCDateTime

KEY = 63


class SummitRow(Base):
    """A summit: agenda, protocol, where its rounds stand, and the head of its event chain."""

    __tablename__ = "summit"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))
    settlement: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
    settlement_proposal_id: Mapped[int | None] = mapped_column(Integer)
    agenda: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue)
    protocol: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    round_number: Mapped[int | None] = mapped_column(Integer)
    phase: Mapped[str | None] = mapped_column(String(16))
    phase_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    red_lines_rev: Mapped[int] = mapped_column(Integer, default=0, kw_only=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0, kw_only=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PartyRow(Base):
    """A delegation at the table."""

    __tablename__ = "party"
    __table_args__ = (UniqueConstraint("summit_id", "key"),)

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, default=None, kw_only=True
    )
    summit_id: Mapped[str] = mapped_column(ForeignKey("summit.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)


class CredentialRow(Base):
    """A bearer token: its public selector and the SHA-256 of its secret part."""

    __tablename__ = "credential"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    summit_id: Mapped[str] = mapped_column(ForeignKey("summit.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    party_key: Mapped[str | None] = mapped_column(String(KEY))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RedLineRow(Base):
    """A party's red line: its text, parsed tree, visibility and status."""

    __tablename__ = "red_line"

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, default=None, kw_only=True
    )
    summit_id: Mapped[str] = mapped_column(ForeignKey("summit.id", ondelete="CASCADE"), index=True)
    party_key: Mapped[str] = mapped_column(String(KEY))
    label: Mapped[str] = mapped_column(String(200))
    expr: Mapped[str] = mapped_column(Text)
    tree: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    visibility: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    rationale: Mapped[str] = mapped_column(Text, default="", kw_only=True)
    declared_round: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    relaxed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, kw_only=True)
    relax_note: Mapped[str | None] = mapped_column(Text, default=None, kw_only=True)
    # The relaxation rule declared with the red line: never, from a round on, or any time.
    relaxable: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true(), kw_only=True
    )
    relax_after_round: Mapped[int | None] = mapped_column(Integer, default=None, kw_only=True)


class PreferencesRow(Base):
    """A party's private utility document."""

    __tablename__ = "preferences"

    summit_id: Mapped[str] = mapped_column(
        ForeignKey("summit.id", ondelete="CASCADE"), primary_key=True
    )
    party_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProposalRow(Base):
    """A package tabled in a round; ``party_key`` is None for a mediator text."""

    __tablename__ = "proposal"
    __table_args__ = (
        UniqueConstraint("summit_id", "round", "party_key"),
        Index("ix_proposal_summit_round", "summit_id", "round"),
    )

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, default=None, kw_only=True
    )
    summit_id: Mapped[str] = mapped_column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    party_key: Mapped[str | None] = mapped_column(String(KEY))
    package: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    complete: Mapped[bool] = mapped_column(Boolean)
    rationale: Mapped[str] = mapped_column(Text, default="", kw_only=True)
    check_report: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PassRow(Base):
    """A party (or, in a mediated summit, the convener: None) passing a proposals phase."""

    __tablename__ = "round_pass"
    __table_args__ = (UniqueConstraint("summit_id", "round", "party_key"),)

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, default=None, kw_only=True
    )
    summit_id: Mapped[str] = mapped_column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    party_key: Mapped[str | None] = mapped_column(String(KEY))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ResponseRow(Base):
    """A party's answer to a full proposal; ``defaulted`` when the deadline answered for it."""

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("proposal_id", "party_key"),
        Index("ix_response_summit_round", "summit_id", "round"),
    )

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, default=None, kw_only=True
    )
    summit_id: Mapped[str] = mapped_column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    party_key: Mapped[str] = mapped_column(String(KEY))
    verdict: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text, default="", kw_only=True)
    defaulted: Mapped[bool] = mapped_column(Boolean, default=False, kw_only=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConcessionRow(Base):
    """A ledger entry: an explicit concession, one derived from proposals, or a relaxed red line."""

    __tablename__ = "concession"
    __table_args__ = (Index("ix_concession_summit_party", "summit_id", "party_key"),)

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, default=None, kw_only=True
    )
    summit_id: Mapped[str] = mapped_column(ForeignKey("summit.id", ondelete="CASCADE"))
    round: Mapped[int | None] = mapped_column(Integer)
    party_key: Mapped[str] = mapped_column(String(KEY))
    kind: Mapped[str] = mapped_column(String(16))
    issue: Mapped[str | None] = mapped_column(String(KEY), default=None, kw_only=True)
    from_value: Mapped[Any] = mapped_column(JSONValue, nullable=True, default=None, kw_only=True)
    to_value: Mapped[Any] = mapped_column(JSONValue, nullable=True, default=None, kw_only=True)
    red_line_id: Mapped[int | None] = mapped_column(Integer, default=None, kw_only=True)
    proposal_id: Mapped[int | None] = mapped_column(Integer, default=None, kw_only=True)
    utility_change: Mapped[float | None] = mapped_column(Float, default=None, kw_only=True)
    note: Mapped[str] = mapped_column(Text, default="", kw_only=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EventRow(Base):
    """One entry of a summit's hash-chained event log."""

    __tablename__ = "event"

    summit_id: Mapped[str] = mapped_column(
        ForeignKey("summit.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    type: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    hash: Mapped[str] = mapped_column(String(64))
