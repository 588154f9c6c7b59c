"""A process's handle on the job queue: defer jobs, run a worker, report on the queue."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.testing import InMemoryConnector
from procrastinate.types import JSONValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from tandem.config import Settings
from tandem.core.errors import TandemError
from tandem.core.health import Check
from tandem.core.metrics import JOB_LAG, JOBS_FAILED, JOBS_RUNNING, JOBS_WAITING
from tandem.core.time import utc_now
from tandem.jobs.queue import build_queue
from tandem.jobs.tasks import RESOURCES, Resources, qualified

logger = logging.getLogger(__name__)
# Jobs one worker runs at once: most wait on the database, retraining on a thread.
CONCURRENCY = 4
# How long a stopping worker lets running jobs finish before cancelling them (they are
# idempotent, so a cancelled one runs again from the start elsewhere).
GRACEFUL_SECONDS = 20.0


@dataclass(frozen=True, slots=True)
class JobView:
    """One job, as admins see it."""

    id: int
    status: str
    task: str
    queue: str
    attempts: int
    arguments: dict[str, Any]
    scheduled_at: datetime | None


class NoSuchFailedJobError(TandemError):
    status_code = 404
    code = "no_such_failed_job"


@dataclass(frozen=True, slots=True)
class QueueState:
    """How the queue looks now, for /metrics."""

    waiting: dict[str, int]  # jobs due or scheduled, per queue
    running: int
    failed: int
    lag_seconds: float  # how long the oldest due job has waited (0: none waits)


class Jobs:
    """The job queue of one process, opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.queue = build_queue(settings)
        self._open = False
        self._opening = asyncio.Lock()
        self.worker: asyncio.Task[None] | None = None

    @property
    def in_memory(self) -> bool:
        return isinstance(self.queue.connector, InMemoryConnector)

    async def open(self) -> None:
        async with self._opening:
            if not self._open:
                await self.queue.open_async()
                self._open = True

    async def close(self) -> None:
        await self.stop_worker()
        if self._open:
            await self.queue.close_async()
            self._open = False

    async def defer(self, task: str, *, lock: str | None = None, **arguments: object) -> None:
        """Queue ``task``; a job of it already waiting under its queueing lock covers this one.

        ``lock``: jobs sharing it run one at a time, and at most one of them waits.
        """
        await self.open()
        found = self.queue.tasks[qualified(task)]
        values = cast(dict[str, JSONValue], arguments)  # Procrastinate stores them as JSON
        try:
            if lock is None:
                await found.defer_async(**values)
            else:
                await found.configure(lock=lock, queueing_lock=lock).defer_async(**values)
        except AlreadyEnqueued:
            logger.debug("a %s job already waits; it covers this request", task)

    async def run_worker(
        self,
        resources: Resources,
        *,
        name: str,
        install_signal_handlers: bool,
        keep_succeeded: bool = False,
    ) -> None:
        """Take jobs and run the periodic schedule until cancelled (or signalled).

        Succeeded jobs are deleted (a sweep every 5 s would fill the table) unless
        ``keep_succeeded``; failed ones stay a week for admins (tasks.forget_finished).
        """
        await self.open()
        stalled = self.settings.job_stalled_seconds
        await self.queue.run_worker_async(
            name=name,
            concurrency=CONCURRENCY,
            additional_context={RESOURCES: resources},
            install_signal_handlers=install_signal_handlers,
            shutdown_graceful_timeout=GRACEFUL_SECONDS,
            delete_jobs="never" if keep_succeeded else "successful",
            update_heartbeat_interval=stalled / 4,
            stalled_worker_timeout=stalled,
        )

    def start_worker(
        self, resources: Resources, *, name: str, keep_succeeded: bool = False
    ) -> None:
        """Run a worker inside this (server) process: the embedded job runner."""
        self.worker = asyncio.create_task(
            self.run_worker(
                resources, name=name, install_signal_handlers=False, keep_succeeded=keep_succeeded
            ),
            name="tandem job runner",
        )

    async def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            try:
                await self.worker
            except asyncio.CancelledError:
                pass
            except Exception:
                logger.exception("the job runner had stopped with an error")
            self.worker = None

    async def jobs_in(self, status: str, *, limit: int = 200) -> list[JobView]:
        """The newest ``limit`` jobs in ``status`` (todo, doing, failed, ...)."""
        await self.open()
        found = await self.queue.job_manager.list_jobs_async(status=status)
        newest = sorted(found, key=lambda j: j.id or 0, reverse=True)[:limit]
        return [
            JobView(
                id=job.id or 0,
                status=job.status or status,
                task=job.task_name,
                queue=job.queue,
                attempts=job.attempts,
                arguments=dict(job.task_kwargs),
                scheduled_at=job.scheduled_at,
            )
            for job in newest
        ]

    async def retry_failed(self, job_id: int) -> None:
        """Run failed job ``job_id`` again now; NoSuchFailedJobError if it is not failed."""
        await self.open()
        found = list(await self.queue.job_manager.list_jobs_async(id=job_id))
        if not found or found[0].status != "failed":
            raise NoSuchFailedJobError(
                f"No failed job {job_id}: it may have run again already; reload the list."
            )
        await self.queue.job_manager.retry_job_by_id_async(job_id, retry_at=utc_now())

    def embedded_alive(self) -> bool:
        return self.worker is not None and not self.worker.done()

    async def state(self, engine: AsyncEngine) -> QueueState:
        """Count the jobs by state; read from the database on PostgreSQL."""
        if self.in_memory:
            return _memory_state(self.queue.connector)  # type: ignore[arg-type]
        async with engine.connect() as connection:
            rows = (await connection.execute(text(STATE_SQL))).all()
        waiting = {str(r.queue_name): int(r.n) for r in rows if r.status == "todo"}
        running = sum(int(r.n) for r in rows if r.status == "doing")
        failed = sum(int(r.n) for r in rows if r.status == "failed")
        lag = max((float(r.lag or 0.0) for r in rows if r.status == "todo"), default=0.0)
        return QueueState(waiting, running, failed, lag)


async def runners_alive(engine: AsyncEngine, *, seconds: float) -> int:
    """Return how many job runners reported within the stall limit (PostgreSQL only)."""
    async with engine.connect() as connection:
        found = await connection.execute(text(RUNNERS_SQL), {"seconds": seconds})
        return int(found.scalar_one())


RUNNERS_SQL = """
SELECT count(*) FROM procrastinate_workers
WHERE last_heartbeat > now() - make_interval(secs => :seconds)
"""
# A due job's wait starts when it was deferred, or at its scheduled time if later.
STATE_SQL = """
SELECT j.queue_name, j.status, count(*) AS n,
       extract(epoch FROM now() - min(greatest(
           coalesce(j.scheduled_at, '-infinity'),
           (SELECT min(e.at) FROM procrastinate_events e
            WHERE e.job_id = j.id AND e.type = 'deferred')))) AS lag
FROM procrastinate_jobs j
WHERE j.status IN ('todo', 'doing', 'failed')
  AND (j.status <> 'todo' OR j.scheduled_at IS NULL OR j.scheduled_at <= now())
GROUP BY j.queue_name, j.status
"""


def _memory_state(connector: InMemoryConnector) -> QueueState:
    waiting: dict[str, int] = {}
    running = failed = 0
    now = utc_now()
    oldest = now
    for job in connector.jobs.values():
        if job["status"] == "todo" and (job["scheduled_at"] or now) <= now:
            waiting[job["queue_name"]] = waiting.get(job["queue_name"], 0) + 1
            deferred = [e["at"] for e in connector.events[job["id"]] if e["type"] == "deferred"]
            oldest = min([oldest, *deferred])
        running += job["status"] == "doing"
        failed += job["status"] == "failed"
    return QueueState(waiting, running, failed, (now - oldest).total_seconds())


async def check_job_runner(jobs: Jobs, engine: AsyncEngine) -> Check:
    """Ready when this process's runner runs (embedded) or a `tandem worker` reported lately."""
    if jobs.settings.job_runner == "embedded":
        if jobs.embedded_alive():
            return Check("jobs", True, "embedded runner running")
        return Check("jobs", False, "the embedded job runner is not running (see the log)")
    try:
        alive = await runners_alive(engine, seconds=jobs.settings.job_stalled_seconds)
    except Exception as error:  # any failure to read it means "not ready"
        return Check("jobs", False, type(error).__name__)
    if alive:
        return Check("jobs", True, f"{alive} worker(s) reporting")
    return Check(
        "jobs",
        False,
        f"no `tandem worker` has reported in {jobs.settings.job_stalled_seconds:g} s; start one "
        "(TANDEM_JOB_RUNNER=separate)",
    )


async def measure_jobs(jobs: Jobs, engine: AsyncEngine) -> None:
    """Set the job gauges of /metrics; a queue that cannot be read leaves them as they were."""
    try:
        state = await jobs.state(engine)
    except SQLAlchemyError:
        logger.warning("could not read the job queue for /metrics", exc_info=True)
        return
    JOBS_WAITING.clear()
    for queue, waiting in state.waiting.items():
        JOBS_WAITING.labels(queue=queue).set(waiting)
    JOBS_RUNNING.set(state.running)
    JOBS_FAILED.set(state.failed)
    JOB_LAG.set(state.lag_seconds)
