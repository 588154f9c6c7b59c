"""Conversations' erasure time: erased by a data-subject request or the retention period.

Revision ID: 5d8f3b1e7a26
Revises: 4c7e2a9d1b58
Create Date: 2026-12-03 20:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d8f3b1e7a26"
down_revision: str | None = "4c7e2a9d1b58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
