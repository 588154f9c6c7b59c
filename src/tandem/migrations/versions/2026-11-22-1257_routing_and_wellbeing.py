"""Routing and wellbeing: agent capacity and cool-downs, SLA deadlines, policy versions.

Revision ID: 640f5b3d160f
Revises: 81feab590cd5
Create Date: 2026-11-22 12:57:18.451769+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "640f5b3d160f"
down_revision: str | None = "81feab590cd5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_policy_versions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("version", name=op.f("uq_policy_versions_version")),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("topic", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("emotional_load", sa.Float(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("abuse_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("closed_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("follow_up", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attributes", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )

    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_deadline", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("sla_breached", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("requeued_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("emotional_load", sa.Float(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("notes", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(sa.Column("cooldown_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_break_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("online_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("online_since")
        batch_op.drop_column("last_break_at")
        batch_op.drop_column("cooldown_until")
        batch_op.drop_column("capacity")

    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_column("notes")
        batch_op.drop_column("emotional_load")
        batch_op.drop_column("requeued_count")
        batch_op.drop_column("sla_breached")
        batch_op.drop_column("sla_deadline")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("attributes")

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("follow_up")
        batch_op.drop_column("closed_reason")
        batch_op.drop_column("abuse_count")
        batch_op.drop_column("emotional_load")
        batch_op.drop_column("topic")

    op.drop_table("policy_versions")
