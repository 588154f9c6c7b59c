"""Conversation idempotency key: a retried creation returns the same conversation.

Revision ID: 8e4b2f6a1c73
Revises: 7d3a9c1e5f20
Create Date: 2026-12-03 13:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8e4b2f6a1c73"
down_revision: str | None = "7d3a9c1e5f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "uq_conversations_idempotency_key_hash", ["idempotency_key_hash"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("uq_conversations_idempotency_key_hash")
        batch_op.drop_column("idempotency_key_hash")
