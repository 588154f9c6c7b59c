"""Widget origins: the sites admins allowed to embed the chat widget.

Revision ID: 3f327bf68bea
Revises: 9e38f72342d4
Create Date: 2026-12-04 18:22:22.874827+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f327bf68bea"
down_revision: str | None = "9e38f72342d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "widget_origins",
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["users.id"],
            name=op.f("fk_widget_origins_added_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("origin", name=op.f("pk_widget_origins")),
    )


def downgrade() -> None:
    op.drop_table("widget_origins")
