"""The job queue for these settings: Procrastinate on PostgreSQL, in memory on SQLite."""

from __future__ import annotations

import procrastinate
from procrastinate.connector import BaseAsyncConnector
from procrastinate.testing import InMemoryConnector
from sqlalchemy.engine import make_url

from tandem.config import Settings
from tandem.core.schedule import HOUR, cron_every
from tandem.jobs import tasks

# Connections each process's queue may hold: deferring and the worker's fetch, heartbeat and
# LISTEN; the conversations' own pool is separate (core.db).
POOL_MIN, POOL_MAX = 1, 4
FORGET_CHECK_SECONDS = HOUR


def psycopg_dsn(database_url: str) -> str:
    """Return the libpq connection string for a SQLAlchemy PostgreSQL URL (any driver)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {url.render_as_string(hide_password=True)}")
    query = dict(url.query)
    ssl = query.pop("ssl", None)  # asyncpg spells libpq's sslmode "ssl"
    if ssl is not None and "sslmode" not in query:
        query["sslmode"] = ssl
    return url.set(drivername="postgresql", query=query).render_as_string(hide_password=False)


def build_queue(settings: Settings) -> procrastinate.App:
    """Return the queue (not yet open) with Tandem's tasks and this deployment's schedule."""
    connector: BaseAsyncConnector
    if settings.is_sqlite:
        connector = InMemoryConnector()
    else:
        connector = procrastinate.PsycopgConnector(
            conninfo=psycopg_dsn(settings.database_url),
            min_size=POOL_MIN,
            max_size=POOL_MAX,
        )
    queue = procrastinate.App(connector=connector)
    queue.add_tasks_from(tasks.blueprint(), namespace="")
    _schedule(queue, settings)
    return queue


def _schedule(queue: procrastinate.App, settings: Settings) -> None:
    """Register the periodic work; each (task, time) is deferred once per deployment."""
    periodic = {
        "tandem.recover_stalled": cron_every(settings.job_stalled_seconds),
        "tandem.forget_finished": cron_every(FORGET_CHECK_SECONDS),
    }
    if settings.recover_interval_seconds > 0:
        periodic["tandem.recover_summaries"] = cron_every(settings.recover_interval_seconds)
        periodic["tandem.recover_answers"] = cron_every(settings.recover_interval_seconds)
    if settings.sweep_interval_seconds > 0:
        periodic["tandem.sweep"] = cron_every(settings.sweep_interval_seconds)
    if settings.retention_days is not None and settings.retention_interval_seconds > 0:
        periodic["tandem.apply_retention"] = cron_every(settings.retention_interval_seconds)
    for name, cron in periodic.items():
        queue.periodic(cron=cron)(queue.tasks[name])
