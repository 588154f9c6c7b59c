"""A handoff's model summary, written by a job after the handoff: its state.

Revision ID: 5d2a7e9c1f38
Revises: 4c8e2f1a9b57
Create Date: 2026-12-06 01:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2a7e9c1f38"
down_revision: str | None = "4c8e2f1a9b57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary_state", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_handoffs_summary_state", ["summary_state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_index("ix_handoffs_summary_state")
        batch_op.drop_column("summary_state")
