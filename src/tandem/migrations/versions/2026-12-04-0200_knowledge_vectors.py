"""Knowledge vectors: passages and titles encoded once, shared by every process.

Revision ID: 9ea1de16f8db
Revises: 6e2b9c4f8a13
Create Date: 2026-12-04 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9ea1de16f8db"
down_revision: str | None = "6e2b9c4f8a13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_vectors",
        sa.Column("encoder", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("encoder", "key", name=op.f("pk_knowledge_vectors")),
    )


def downgrade() -> None:
    op.drop_table("knowledge_vectors")
