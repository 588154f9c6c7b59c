"""Bot answers agents flag as wrong, with the right article or answer; one per message and agent.

Revision ID: 1ab96941a572
Revises: e608707f4dbf
Create Date: 2026-12-05 05:40:38.696238+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1ab96941a572"
down_revision: str | None = "e608707f4dbf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("flagged_by", sa.Integer(), nullable=True),
        sa.Column("flagged_by_name", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answered_slug", sa.String(length=200), nullable=True),
        sa.Column("right_slug", sa.String(length=200), nullable=True),
        sa.Column("right_text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_answer_flags_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flagged_by"],
            ["users.id"],
            name=op.f("fk_answer_flags_flagged_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_answer_flags_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["learning_proposals.id"],
            name=op.f("fk_answer_flags_proposal_id_learning_proposals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_flags")),
        sa.UniqueConstraint(
            "message_id", "flagged_by", name=op.f("uq_answer_flags_message_id_flagged_by")
        ),
    )
    with op.batch_alter_table("answer_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_flags_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_answer_flags_proposal_id"), ["proposal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("answer_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_flags_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_answer_flags_conversation_id"))

    op.drop_table("answer_flags")
