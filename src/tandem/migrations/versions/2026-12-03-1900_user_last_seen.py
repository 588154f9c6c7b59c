"""Users' last-seen time: presence follows a live console, not only the last click.

Revision ID: 9a1c5e7b3d42
Revises: 8e4b2f6a1c73
Create Date: 2026-12-03 19:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a1c5e7b3d42"
down_revision: str | None = "8e4b2f6a1c73"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
