"""`tandem worker` runs background jobs; `tandem jobs` shows and retries them."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

import typer
from procrastinate.exceptions import ConnectorException
from pydantic import ValidationError

from tandem.channels.delivery import delivering
from tandem.channels.email.tasks import MailSetup, setup_from
from tandem.channels.email.transport import MailServerURLError
from tandem.config import Settings, get_settings
from tandem.core import logs
from tandem.core.commands import fail, settings_problem
from tandem.core.db import create_engine, create_sessionmaker
from tandem.core.events import get_notifier, set_notifier
from tandem.core.followups import set_deferrer
from tandem.core.heap import freeze_start_up_objects
from tandem.core.redis_notifier import RedisNotifier
from tandem.jobs.runner import Jobs, NoSuchFailedJobError
from tandem.jobs.tasks import Resources

jobs_app = typer.Typer(
    help="Background jobs: what failed, what waits; retry.", no_args_is_help=True
)
STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        raise fail(settings_problem(error)) from error


def worker() -> None:
    """Run background jobs (set TANDEM_JOB_RUNNER=separate on the servers): assignment sweeps,
    retention, retraining, the brief's model summaries, webhooks and mail. Run one or more per
    deployment; SIGTERM lets running jobs finish."""
    settings = _settings()
    if settings.is_sqlite:
        raise fail(
            "`tandem worker` needs PostgreSQL (TANDEM_DATABASE_URL=postgresql+asyncpg://...). "
            "On SQLite `tandem serve` runs the jobs itself."
        )
    logs.configure(settings.log_level, settings.log_format)
    try:
        mail_setup = setup_from(settings)
    except MailServerURLError as error:
        raise fail(str(error)) from error
    try:
        asyncio.run(_work(settings, mail_setup))
    except ConnectorException as error:
        raise fail(f"cannot reach the job queue in PostgreSQL: {error}") from error


async def _work(settings: Settings, mail_setup: MailSetup | None) -> None:
    engine = create_engine(settings.database_url)
    if settings.redis_url:  # assignments made here wake the agents streaming from the servers
        set_notifier(RedisNotifier(settings.redis_url))
    jobs = Jobs(settings)
    set_deferrer(jobs)  # jobs that queue jobs (recovery) do so after their commit
    freeze_start_up_objects()
    factory = create_sessionmaker(engine)
    try:
        async with delivering(settings, factory, mail_setup):  # webhooks and mail
            await jobs.run_worker(
                Resources(settings, factory),
                name=f"{socket.gethostname()}-{os.getpid()}",
                install_signal_handlers=True,
            )
    finally:
        set_deferrer(None)
        await jobs.close()
        if settings.redis_url:
            await get_notifier().close()
        await engine.dispose()


@jobs_app.command("list")
def list_jobs(
    status: Annotated[
        str, typer.Option(help=f"One of {', '.join(STATUSES)}; failed ones stay a week.")
    ] = "failed",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per job.")] = False,
) -> None:
    """List jobs in one state, newest first."""
    if status not in STATUSES:
        raise fail(f"--status must be one of {', '.join(STATUSES)}.")
    for row in asyncio.run(_list(_settings(), status)):
        if as_json:
            typer.echo(json.dumps(row, default=str))
        else:
            typer.echo(
                f"{row['id']:>8}  {row['status']:<9}  {row['task']:<26}  "
                f"attempts {row['attempts']}  {row['scheduled_at'] or ''}"
            )


async def _list(settings: Settings, status: str) -> list[dict[str, Any]]:
    jobs = Jobs(settings)
    try:
        found = await jobs.jobs_in(status, limit=10_000)
    finally:
        await jobs.close()
    return [{**asdict(job), "scheduled_at": _iso(job.scheduled_at)} for job in found]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@jobs_app.command("retry")
def retry(
    job_id: Annotated[int, typer.Argument(help="The job's id (`tandem jobs list`).")],
) -> None:
    """Run a failed job again now."""
    settings = _settings()
    if settings.is_sqlite:
        raise fail("On SQLite jobs live in the server process; they cannot be retried from here.")
    try:
        asyncio.run(_retry(settings, job_id))
    except NoSuchFailedJobError as error:
        raise fail(error.message) from error
    typer.echo(f"job {job_id} will run again")


async def _retry(settings: Settings, job_id: int) -> None:
    jobs = Jobs(settings)
    try:
        await jobs.retry_failed(job_id)
    finally:
        await jobs.close()


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.add_typer(jobs_app, name="jobs")
