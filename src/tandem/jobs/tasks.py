"""Tandem's jobs. Each is idempotent: run twice, or after a crash mid-way, it does no harm."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import procrastinate
from procrastinate import JobContext, RetryStrategy
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.bot import answers, summaries
from tandem.bot import service as bot_service
from tandem.bot.compose import writer_for
from tandem.config import Settings
from tandem.core.db import transaction
from tandem.learning.retrain import intent_training, retrain_job
from tandem.llm.provider import ModelUnavailableError
from tandem.privacy.tasks import retention_once
from tandem.routing.tasks import sweep_once

logger = logging.getLogger(__name__)

RESOURCES = "tandem"  # the key of the worker's additional context
INTENT_MODEL_LOCK = "intent-model"
RETRAIN_INTENTS = "retrain_intents"
KEEP_FAILED_HOURS = 7 * 24  # failed jobs stay this long for admins to read (and retry)
SUMMARY_ATTEMPTS = 3  # tries at a brief's model summary before the extractive one stays


@dataclass(frozen=True, slots=True)
class Resources:
    """What jobs need from the process that runs them."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]


def resources_of(context: JobContext) -> Resources:
    found = context.additional_context.get(RESOURCES)
    if not isinstance(found, Resources):
        raise RuntimeError("a Tandem job ran in a worker started without its resources")
    return found


async def sweep(context: JobContext, timestamp: int) -> None:
    """Enforce SLAs, assign waiting conversations and free agents who went silent."""
    found = resources_of(context)
    await sweep_once(
        found.sessionmaker,
        presence_timeout=timedelta(seconds=found.settings.presence_timeout_seconds),
    )


async def apply_retention(context: JobContext, timestamp: int) -> None:
    """Erase conversations quiet for longer than the retention period."""
    found = resources_of(context)
    if found.settings.retention_days is not None:
        await retention_once(found.sessionmaker, days=found.settings.retention_days)


async def retrain_intents(context: JobContext) -> None:
    """Retrain the intent model on its base file and every approved example."""
    found = resources_of(context)
    setup = intent_training(found.settings.model_dir, found.settings.intent_training_data)
    if setup is None:
        logger.info("no intent model to retrain (TANDEM_INTENT_TRAINING_DATA or model unset)")
        return
    await retrain_job(found.sessionmaker, setup)


async def write_answers(context: JobContext, conversation_id: str) -> None:
    """Have the configured model word the conversation's pending answers, and post them."""
    found = resources_of(context)
    config = bot_service.config_from(found.settings)
    factory = found.sessionmaker
    await answers.write_pending(
        lambda: transaction(factory, write=False),
        lambda: transaction(factory),
        conversation_id,
        writer_for(config.llm),
        config,
    )


async def recover_answers(context: JobContext, timestamp: int) -> None:
    """Queue again the conversations whose pending answers lost their job."""
    factory = resources_of(context).sessionmaker
    await answers.recover(lambda: transaction(factory))


async def write_summary(context: JobContext, handoff_id: int) -> None:
    """Have the configured model word a handoff's brief summary (kept if it passes checks)."""
    found = resources_of(context)
    factory = found.sessionmaker
    await summaries.write(
        lambda: transaction(factory, write=False),
        lambda: transaction(factory),
        handoff_id,
        summaries.summarizer(bot_service.config_from(found.settings).llm),
        last_try=context.job.attempts + 1 >= SUMMARY_ATTEMPTS,
    )


async def recover_summaries(context: JobContext, timestamp: int) -> None:
    """Queue again the brief summaries whose job was lost."""
    factory = resources_of(context).sessionmaker
    await summaries.recover(lambda: transaction(factory))


async def recover_stalled(context: JobContext, timestamp: int) -> None:
    """Put back in line the jobs of workers that stopped reporting (killed, machine lost)."""
    manager = context.app.job_manager
    limit = resources_of(context).settings.job_stalled_seconds
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=limit):
        logger.warning("job %s (%s) was cut off; it runs again", job.id, job.task_name)
        await manager.retry_job(job)


async def forget_finished(context: JobContext, timestamp: int) -> None:
    """Delete failed and cancelled jobs once admins have had a week to read them."""
    await context.app.job_manager.delete_old_jobs(
        nb_hours=KEEP_FAILED_HOURS,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )


def qualified(name: str) -> str:
    """The name a task has in the queue (and in `tandem jobs list`)."""
    return f"tandem.{name}"


def blueprint() -> procrastinate.Blueprint:
    """A fresh set of Tandem's tasks for one queue (a task binds to the queue it joins).

    A lock runs its jobs one at a time; a queueing lock keeps at most one of them waiting.
    """
    tasks = procrastinate.Blueprint()
    tasks.task(name=qualified("sweep"), pass_context=True, lock="sweep", queueing_lock="sweep")(
        sweep
    )
    tasks.task(name=qualified("apply_retention"), pass_context=True, lock="retention")(
        apply_retention
    )
    tasks.task(name=qualified("recover_stalled"), pass_context=True, queueing_lock="stalled")(
        recover_stalled
    )
    tasks.task(name=qualified("forget_finished"), pass_context=True, queueing_lock="forget")(
        forget_finished
    )
    # One training at a time, and one waiting: it trains on every approval made until then.
    # A file-system error is retried with backoff; unusable training data is not.
    tasks.task(
        name=qualified(RETRAIN_INTENTS),
        pass_context=True,
        lock=INTENT_MODEL_LOCK,
        queueing_lock=INTENT_MODEL_LOCK,
        retry=RetryStrategy(max_attempts=3, exponential_wait=30, retry_exceptions={OSError}),
    )(retrain_intents)
    # A model that cannot answer now is asked again, 30 s then 60 s later; the last try keeps
    # the extractive summary instead of failing.
    tasks.task(
        name=qualified(summaries.TASK),
        pass_context=True,
        retry=RetryStrategy(
            max_attempts=SUMMARY_ATTEMPTS,
            wait=30,
            linear_wait=30,
            retry_exceptions={ModelUnavailableError, TimeoutError},
        ),
    )(write_summary)
    tasks.task(name=qualified("recover_summaries"), pass_context=True, queueing_lock="summaries")(
        recover_summaries
    )
    # A model that does not answer leaves the passage itself: nothing to try again.
    tasks.task(name=qualified(answers.TASK), pass_context=True)(write_answers)
    tasks.task(name=qualified("recover_answers"), pass_context=True, queueing_lock="answers")(
        recover_answers
    )
    return tasks
