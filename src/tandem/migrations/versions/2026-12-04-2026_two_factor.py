"""Two-factor login: TOTP secrets and recovery codes per user, and the stage of a login.

Revision ID: 55d1de810871
Revises: 3f327bf68bea
Create Date: 2026-12-04 20:26:50.996763+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "55d1de810871"
down_revision: str | None = "3f327bf68bea"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stage",
                sa.Enum(
                    "complete", "code", "enrol", name="sessionstage", native_enum=False, length=32
                ),
                server_default="complete",
                nullable=False,
            )
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_pending_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("recovery_code_hashes", sa.JSON(), server_default="[]", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("recovery_code_hashes")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_pending_secret")
        batch_op.drop_column("totp_secret")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_column("stage")
