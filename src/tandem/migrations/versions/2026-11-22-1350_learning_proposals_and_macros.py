"""Learning proposals and their training examples; saved replies (macros).

Revision ID: 49b5d5e40ace
Revises: 640f5b3d160f
Create Date: 2026-11-22 13:50:09.979513+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "49b5d5e40ace"
down_revision: str | None = "640f5b3d160f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learning_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="proposalstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
            server_default="pending",
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "new_article", "update_article", name="proposalkind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=200), nullable=True),
        sa.Column("examples", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column("conversation_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["users.id"],
            name=op.f("fk_learning_proposals_reviewed_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_proposals")),
    )
    with op.batch_alter_table("learning_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learning_proposals_status"), ["status"], unique=False)

    op.create_table(
        "macros",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_macros_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_macros")),
        sa.UniqueConstraint("title", name=op.f("uq_macros_title")),
    )
    op.create_table(
        "learning_training_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=200), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["learning_proposals.id"],
            name=op.f("fk_learning_training_examples_proposal_id_learning_proposals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_training_examples")),
    )
    with op.batch_alter_table("learning_training_examples", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_training_examples_intent"), ["intent"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("learning_training_examples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_training_examples_intent"))

    op.drop_table("learning_training_examples")
    op.drop_table("macros")
    with op.batch_alter_table("learning_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_proposals_status"))

    op.drop_table("learning_proposals")
