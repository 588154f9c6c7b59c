"""Record on a proposal that it was published despite golden-answer regressions.

Revision ID: 7d3a9c1e5f20
Revises: 5b1e7c2d9a40
Create Date: 2026-11-22 14:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d3a9c1e5f20"
down_revision: str | None = "5b1e7c2d9a40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learning_proposals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "published_with_regressions",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("learning_proposals", schema=None) as batch_op:
        batch_op.drop_column("published_with_regressions")
