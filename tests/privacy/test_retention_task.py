"""The server applies the retention period on its own: a periodic job, in its own unit of work,
surviving a failed run, and only when a retention period is set."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.conversations.models import Author, Customer, Message
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.jobs.queue import build_queue
from tandem.jobs.runner import Jobs
from tandem.jobs.tasks import Resources
from tandem.privacy import service as privacy_service
from tandem.privacy.service import RetentionReport
from tandem.privacy.tasks import retention_once
from tests.conftest import Database, drop_pg_database, make_database, settings_for
from tests.factories import create_conversation, create_customer
from tests.waiting import eventually

WAIT = 60.0  # seconds to wait for the loop to act: generous, only a hung test waits this long


def _units_inside(session: AsyncSession) -> async_sessionmaker[AsyncSession]:
    """Sessions whose units of work are savepoints of the test's rolled-back transaction."""
    return async_sessionmaker(
        bind=session.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


async def _texts(session: AsyncSession, conversation_id: str) -> set[str]:
    query = select(Message.text).where(Message.conversation_id == conversation_id)
    return set((await session.execute(query)).scalars())


async def test_a_run_erases_conversations_past_the_period(
    session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tandem.privacy.tasks")
    customer = await create_customer(session, email="old@example.com")
    old = await create_conversation(
        session,
        customer,
        (Author.CUSTOMER, "my address is 1 Elm Row"),
        last_active=utc_now() - timedelta(days=120),
    )
    recent = await create_conversation(
        session,
        customer,
        (Author.CUSTOMER, "where is my parcel?"),
        last_active=utc_now() - timedelta(days=5),
    )

    report = await retention_once(_units_inside(session), days=90)

    assert report.conversations == 1
    assert await _texts(session, old.id) == {privacy_service.EXPIRED}
    assert "where is my parcel?" in await _texts(session, recent.id)
    assert "erased 1 conversation(s) quiet for more than 90 days; forgot 0" in caplog.text


async def test_the_job_runner_applies_retention_and_a_failed_run_does_not_stop_the_next(
    session: AsyncSession, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    async def flaky(session: AsyncSession, *, days: int, now: Any = None) -> RetentionReport:
        calls.append(days)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return RetentionReport(conversations=2, customers=1)

    monkeypatch.setattr(privacy_service, "apply_retention", flaky)
    settings = settings_for(
        database.url,
        sweep_interval_seconds=0,
        recover_interval_seconds=0,  # only retention uses the test's one connection
        retention_days=30,
        retention_interval_seconds=1,
    )
    jobs = Jobs(settings)
    await jobs.open()
    jobs.start_worker(Resources(settings, _units_inside(session)), name="t", keep_succeeded=True)
    states: list[str | None] = []

    async def ran_twice() -> bool:
        found = await jobs.queue.job_manager.list_jobs_async(task="tandem.apply_retention")
        states[:] = [j.status for j in sorted(found, key=lambda j: j.id or 0)]
        return states[:2] == ["failed", "succeeded"]

    try:
        await eventually(ran_twice, within=WAIT)
    finally:
        await jobs.close()
    assert calls[:2] == [30, 30]  # the failure is kept for admins to read: states above


@pytest.mark.parametrize(
    ("overrides", "cron"),
    [
        pytest.param({}, None, id="no-retention-period"),
        pytest.param({"retention_days": 30, "retention_interval_seconds": 0}, None, id="off"),
        pytest.param({"retention_days": 30}, "0 */1 * * * 0", id="hourly-by-default"),
    ],
)
def test_the_server_schedules_retention_only_with_a_retention_period(
    overrides: dict[str, object], cron: str | None
) -> None:
    settings = settings_for("sqlite+aiosqlite://", **overrides)
    scheduled = build_queue(settings).periodic_registry.periodic_tasks
    found = scheduled.get(("tandem.apply_retention", ""))
    assert (found.cron if found else None) == cron


async def test_workers_applying_retention_at_once_erase_each_conversation_without_failing(
    tmp_path: Path,
) -> None:
    """Every server process runs the loop: on PostgreSQL two runs may pick the same
    conversations before either commits; both must succeed."""
    database, name = make_database("postgresql", tmp_path)
    engine = create_engine(database.url)
    try:
        factory = create_sessionmaker(engine)
        async with transaction(factory) as setup:
            for n in range(3):
                customer = await create_customer(setup, email=f"c{n}@example.com")
                customer.created_at = utc_now() - timedelta(days=120)
                await create_conversation(
                    setup,
                    customer,
                    (Author.CUSTOMER, f"my card ends in 424{n}"),
                    last_active=utc_now() - timedelta(days=120),
                )

        reports = await asyncio.gather(
            retention_once(factory, days=90), retention_once(factory, days=90)
        )

        assert all(r.conversations in (0, 3) for r in reports)
        assert sum(r.conversations for r in reports) >= 3
        async with factory() as check:
            texts = set((await check.execute(select(Message.text))).scalars())
            left = await check.execute(select(Customer.email).where(Customer.email.is_not(None)))
        assert texts == {privacy_service.EXPIRED}
        assert left.scalars().all() == []
    finally:
        await engine.dispose()
        if name:
            drop_pg_database(name)
