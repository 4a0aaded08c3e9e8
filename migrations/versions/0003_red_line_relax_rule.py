"""Red lines carry their relaxation rule: not relaxable, or relaxable from a round on.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("red_line") as batch:
        batch.add_column(
            sa.Column("relaxable", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("relax_after_round", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("red_line") as batch:
        batch.drop_column("relax_after_round")
        batch.drop_column("relaxable")
