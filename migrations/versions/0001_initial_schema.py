"""Initial schema: summits, parties, credentials, red lines, preferences, rounds, ledger, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 63


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _summit_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["summit_id"], ["summit.id"], name=f"fk_{table}_summit_id_summit", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "summit",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("settlement", sa.JSON(), nullable=True),
        sa.Column("settlement_proposal_id", sa.Integer(), nullable=True),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("protocol", sa.JSON(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=True),
        sa.Column("phase", sa.String(16), nullable=True),
        _time("phase_deadline_at", nullable=True),
        sa.Column("red_lines_rev", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        _time("created_at"),
        _time("started_at", nullable=True),
        _time("concluded_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_summit"),
    )
    op.create_index("ix_summit_status", "summit", ["status"])
    op.create_index("ix_summit_phase_deadline_at", "summit", ["phase_deadline_at"])

    op.create_table(
        "party",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("key", sa.String(KEY), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _summit_fk("party"),
        sa.PrimaryKeyConstraint("id", name="pk_party"),
        sa.UniqueConstraint("summit_id", "key", name="uq_party_summit_id_key"),
    )

    op.create_table(
        "credential",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("party_key", sa.String(KEY), nullable=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        _time("created_at"),
        _summit_fk("credential"),
        sa.PrimaryKeyConstraint("id", name="pk_credential"),
    )
    op.create_index("ix_credential_summit_id", "credential", ["summit_id"])

    op.create_table(
        "red_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("party_key", sa.String(KEY), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("expr", sa.Text(), nullable=False),
        sa.Column("tree", sa.JSON(), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("declared_round", sa.Integer(), nullable=True),
        _time("created_at"),
        _time("relaxed_at", nullable=True),
        sa.Column("relax_note", sa.Text(), nullable=True),
        _summit_fk("red_line"),
        sa.PrimaryKeyConstraint("id", name="pk_red_line"),
    )
    op.create_index("ix_red_line_summit_id", "red_line", ["summit_id"])

    op.create_table(
        "preferences",
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("party_key", sa.String(KEY), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        _time("updated_at"),
        _summit_fk("preferences"),
        sa.PrimaryKeyConstraint("summit_id", "party_key", name="pk_preferences"),
    )

    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.String(KEY), nullable=True),
        sa.Column("package", sa.JSON(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("check_report", sa.JSON(), nullable=False),
        _time("created_at"),
        _summit_fk("proposal"),
        sa.PrimaryKeyConstraint("id", name="pk_proposal"),
        sa.UniqueConstraint(
            "summit_id", "round", "party_key", name="uq_proposal_summit_id_round_party_key"
        ),
    )
    op.create_index("ix_proposal_summit_round", "proposal", ["summit_id", "round"])

    op.create_table(
        "round_pass",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.String(KEY), nullable=True),
        _time("created_at"),
        _summit_fk("round_pass"),
        sa.PrimaryKeyConstraint("id", name="pk_round_pass"),
        sa.UniqueConstraint(
            "summit_id", "round", "party_key", name="uq_round_pass_summit_id_round_party_key"
        ),
    )

    op.create_table(
        "response",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.String(KEY), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("defaulted", sa.Boolean(), nullable=False),
        _time("created_at"),
        _summit_fk("response"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name="fk_response_proposal_id_proposal",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_response"),
        sa.UniqueConstraint("proposal_id", "party_key", name="uq_response_proposal_id_party_key"),
    )
    op.create_index("ix_response_summit_round", "response", ["summit_id", "round"])

    op.create_table(
        "concession",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("round", sa.Integer(), nullable=True),
        sa.Column("party_key", sa.String(KEY), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("issue", sa.String(KEY), nullable=True),
        sa.Column("from_value", sa.JSON(), nullable=True),
        sa.Column("to_value", sa.JSON(), nullable=True),
        sa.Column("red_line_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("utility_change", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _time("created_at"),
        _summit_fk("concession"),
        sa.PrimaryKeyConstraint("id", name="pk_concession"),
    )
    op.create_index("ix_concession_summit_party", "concession", ["summit_id", "party_key"])

    op.create_table(
        "event",
        sa.Column("summit_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        _time("at"),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        _summit_fk("event"),
        sa.PrimaryKeyConstraint("summit_id", "seq", name="pk_event"),
    )


def downgrade() -> None:
    for table in (
        "event",
        "concession",
        "response",
        "round_pass",
        "proposal",
        "preferences",
        "red_line",
        "credential",
        "party",
        "summit",
    ):
        op.drop_table(table)
