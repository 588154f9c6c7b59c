"""The server applies the retention period on its own: every interval, in its own unit of work,
surviving a failed run, and only when a retention period is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem import app as app_module
from tandem.app import create_app
from tandem.conversations.models import Author, Customer, Message
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.privacy import service as privacy_service
from tandem.privacy.service import RetentionReport
from tandem.privacy.tasks import retention_forever, retention_once
from tests.conftest import Database, drop_pg_database, make_database, settings_for
from tests.factories import create_conversation, create_customer

WAIT = 60.0  # seconds to wait for the loop to act: generous, only a hung test waits this long


def _units_inside(session: AsyncSession) -> async_sessionmaker[AsyncSession]:
    """Sessions whose units of work are savepoints of the test's rolled-back transaction."""
    return async_sessionmaker(
        bind=session.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


class _Logged(logging.Handler):
    """Sets ``seen`` when the loop logs a message containing ``text``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.seen.set()


async def _wait(event: asyncio.Event, loop: asyncio.Task[None]) -> None:
    """Wait for ``event``; fail at once if the loop ends instead."""
    seen = asyncio.create_task(event.wait())
    await asyncio.wait({seen, loop}, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
    seen.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await seen
    assert not loop.done(), "the loop ended"
    assert event.is_set(), f"nothing happened in {WAIT} s"


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def _texts(session: AsyncSession, conversation_id: str) -> set[str]:
    query = select(Message.text).where(Message.conversation_id == conversation_id)
    return set((await session.execute(query)).scalars())


async def test_the_loop_erases_conversations_past_the_period(
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

    erased = _Logged("retention: erased 1 conversation(s)")
    logging.getLogger("tandem.privacy.tasks").addHandler(erased)
    task = asyncio.create_task(retention_forever(_units_inside(session), days=90, every=3600))
    try:
        await _wait(erased.seen, task)
    finally:
        await _stop(task)
        logging.getLogger("tandem.privacy.tasks").removeHandler(erased)

    assert await _texts(session, old.id) == {privacy_service.EXPIRED}
    assert "where is my parcel?" in await _texts(session, recent.id)
    assert "quiet for more than 90 days; forgot 0 customer(s)" in caplog.text


async def test_a_failed_run_is_logged_with_its_traceback_and_the_next_one_runs(
    session: AsyncSession, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="tandem.privacy.tasks")
    calls: list[int] = []
    third_run = asyncio.Event()
    never = asyncio.Event()

    async def flaky(session: AsyncSession, *, days: int, now: Any = None) -> RetentionReport:
        calls.append(days)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        if len(calls) == 3:
            third_run.set()
            await never.wait()  # the test stops the loop here, inside a run
        return RetentionReport(conversations=2, customers=1)

    monkeypatch.setattr(privacy_service, "apply_retention", flaky)

    task = asyncio.create_task(retention_forever(_units_inside(session), days=30, every=0.01))
    try:
        await _wait(third_run, task)
    finally:
        await _stop(task)

    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failures] == ["retention run failed; trying again in 0 s"]
    assert failures[0].exc_info is not None
    assert "the database went away" in str(failures[0].exc_info[1])
    assert "retention: erased 2 conversation(s)" in caplog.text


@pytest.mark.parametrize(
    ("overrides", "started"),
    [
        pytest.param({}, False, id="no-retention-period"),
        pytest.param({"retention_days": 30, "retention_interval_seconds": 0}, False, id="off"),
        pytest.param({"retention_days": 30}, True, id="hourly-by-default"),
    ],
)
async def test_the_server_runs_the_loop_only_with_a_retention_period(
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    overrides: dict[str, object],
    started: bool,
) -> None:
    runs: list[dict[str, object]] = []
    stopped = asyncio.Event()

    async def fake_loop(factory: object, *, days: int, every: float) -> None:
        runs.append({"days": days, "every": every})
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    monkeypatch.setattr(app_module, "retention_forever", fake_loop)
    settings = settings_for(
        database.url, sweep_interval_seconds=0, webhook_interval_seconds=0, **overrides
    )
    application = create_app(settings)

    async with application.router.lifespan_context(application):
        await asyncio.sleep(0)  # let a started task begin
        assert runs == ([{"days": 30, "every": 3600.0}] if started else [])

    assert stopped.is_set() is started  # shutdown cancelled the loop


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
