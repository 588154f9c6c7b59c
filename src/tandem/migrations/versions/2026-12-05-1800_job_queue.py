"""The job queue: Procrastinate's tables and functions, on PostgreSQL only.

On SQLite the embedded job runner keeps its jobs in memory, so nothing is created there.
The schema is the one of the Procrastinate release pinned in pyproject.toml (3.10); a later
release's own migrations (procrastinate/sql/migrations) go in new revisions.

Revision ID: 4c8e2f1a9b57
Revises: 9e1a4b7c3d20
Create Date: 2026-12-05 18:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.util import await_only

revision: str = "4c8e2f1a9b57"
down_revision: str | None = "9e1a4b7c3d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROP = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE routine record;
BEGIN
    FOR routine IN SELECT oid::regprocedure AS signature FROM pg_proc
                   WHERE proname LIKE 'procrastinate\\_%' LOOP
        EXECUTE 'DROP ROUTINE ' || routine.signature || ' CASCADE';
    END LOOP;
END $$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
    procrastinate_job_status CASCADE;
"""


def _run_script(sql: str) -> None:
    # Several statements and PL/pgSQL bodies: asyncpg's simple protocol runs them as one script.
    raw = op.get_bind().connection.driver_connection
    assert raw is not None, "the migration runs on an open connection"
    await_only(raw.execute(sql))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run_script(DROP)
