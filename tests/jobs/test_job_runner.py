"""Background jobs: the server runs them itself, or `tandem worker` processes do on PostgreSQL.

Periodic work runs once per deployment however many runners schedule it, a job cut off by
kill -9 runs again elsewhere, and admins see and retry failed jobs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from tandem.app import create_app
from tandem.auth.models import Presence, User
from tandem.channels.delivery import MAIL_TASK, WEBHOOKS_TASK
from tandem.channels.webhooks import service as webhook_service
from tandem.cli import app as cli
from tandem.config import Settings, get_settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.jobs.runner import Jobs
from tandem.jobs.tasks import Resources
from tandem.nlu.intents.artefact import METADATA, save_model
from tandem.nlu.intents.training import train
from tandem.routing.assignment import PRESENCE_TIMEOUT
from tests.conftest import (
    Database,
    drop_pg_database,
    in_fresh_thread,
    make_database,
    settings_for,
)
from tests.factories import create_agent
from tests.live import tandem_command
from tests.nlu.intents.conftest import TINY_CONFIG, shop_dataset, shop_examples, write_csv
from tests.waiting import eventually
from tests.webhook_receiver import Receiver

REDIS_URL = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Database]:
    database, pg_name = make_database("postgresql", tmp_path)
    yield database
    if pg_name:
        drop_pg_database(pg_name)


@pytest.fixture
async def engine(fresh_database: Database) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(fresh_database.url)
    yield engine
    await engine.dispose()


async def _agent_gone_quiet(engine: AsyncEngine) -> int:
    async with transaction(create_sessionmaker(engine)) as session:
        agent = await create_agent(session)
        agent.presence = Presence.ONLINE
        agent.last_seen_at = utc_now() - PRESENCE_TIMEOUT - timedelta(seconds=5)
    return agent.id


async def _presence(engine: AsyncEngine, user_id: int) -> Presence:
    async with engine.connect() as connection:
        found = await connection.execute(select(User.presence).where(User.id == user_id))
        return Presence(found.scalar_one())


async def test_the_server_runs_its_own_jobs_and_is_ready_only_while_it_does(
    fresh_database: Database, engine: AsyncEngine
) -> None:
    agent_id = await _agent_gone_quiet(engine)
    app = create_app(settings_for(fresh_database.url, sweep_interval_seconds=1))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        async with app.router.lifespan_context(app):
            ready = await http.get("/readyz")
            # The periodic sweep, run by the server's embedded runner, notices the silence.
            await eventually(lambda: _is(engine, agent_id, Presence.OFFLINE))
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["jobs"]["ok"] is True
        assert app.state.jobs.worker is None  # stopped with the server


async def _is(engine: AsyncEngine, user_id: int, presence: Presence) -> bool:
    return await _presence(engine, user_id) is presence


async def test_periodic_work_runs_once_per_deployment_however_many_runners(
    postgres: Database,
) -> None:
    settings = settings_for(postgres.url, sweep_interval_seconds=1)
    engine = create_engine(postgres.url)
    resources = Resources(settings, create_sessionmaker(engine))
    runners = [Jobs(settings) for _ in range(3)]
    for number, runner in enumerate(runners):
        runner.start_worker(resources, name=f"runner-{number}", keep_succeeded=True)

    async def sweeps() -> list[Any]:
        async with engine.connect() as connection:
            found = await connection.execute(
                text(
                    "SELECT args->>'timestamp' AS at, count(*) AS n, "
                    "count(*) FILTER (WHERE status = 'succeeded') AS done "
                    "FROM procrastinate_jobs WHERE task_name = 'tandem.sweep' GROUP BY 1"
                )
            )
            return list(found.all())

    async def three_done() -> bool:
        return sum(row.done for row in await sweeps()) >= 3

    try:
        await eventually(three_done, within=120)  # a sweep a second, on a busy machine later
    finally:
        for runner in runners:
            await runner.close()
    rows = await sweeps()
    await engine.dispose()
    assert all(row.n == 1 for row in rows), rows  # never twice for the same second


def test_a_worker_refuses_sqlite_and_says_what_runs_the_jobs_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["worker"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "`tandem worker` needs PostgreSQL" in result.output
    assert "`tandem serve` runs the jobs itself" in result.output


def test_separate_runners_need_postgresql_and_redis() -> None:
    with pytest.raises(ValueError, match="TANDEM_JOB_RUNNER=separate needs PostgreSQL"):
        Settings(job_runner="separate")
    with pytest.raises(ValueError, match="TANDEM_JOB_RUNNER=separate needs TANDEM_REDIS_URL"):
        Settings(job_runner="separate", database_url="postgresql+asyncpg://x@127.0.0.1/x")


async def test_with_separate_runners_a_server_is_ready_once_a_worker_reports(
    postgres: Database,
) -> None:
    settings = settings_for(postgres.url, job_runner="separate", redis_url=REDIS_URL)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    worker = Jobs(settings)
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
            app.router.lifespan_context(app),
        ):
            alone = await http.get("/readyz")
            assert app.state.jobs.worker is None  # the server runs no jobs itself
            assert not _delivery_loops()  # nor sends webhooks or mail
            worker.start_worker(Resources(settings, app.state.sessionmaker), name="w")
            ready = await _ready(http)
    finally:
        await worker.close()
    assert alone.status_code == 503
    assert "no `tandem worker` has reported" in alone.json()["checks"]["jobs"]["detail"]
    assert ready.json()["checks"]["jobs"] == {"ok": True, "detail": "1 worker(s) reporting"}


def _delivery_loops() -> set[str]:
    return {t.get_name() for t in asyncio.all_tasks()} & {MAIL_TASK, WEBHOOKS_TASK}


async def test_an_embedded_runner_sends_webhooks_from_the_server(database: Database) -> None:
    app = create_app(settings_for(database.url))
    async with app.router.lifespan_context(app):
        assert _delivery_loops() == {WEBHOOKS_TASK}
    await app.state.engine.dispose()


@pytest.mark.timeout(300)  # a worker process starts on a busy machine
async def test_with_separate_runners_tandem_worker_sends_the_webhooks(
    postgres: Database, tmp_path: Path
) -> None:
    engine = create_engine(postgres.url)
    env = {
        **os.environ,
        "TANDEM_ENVIRONMENT": "test",
        "TANDEM_DATABASE_URL": postgres.url,
        "TANDEM_REDIS_URL": REDIS_URL,
        "TANDEM_JOB_RUNNER": "separate",
        "TANDEM_SWEEP_INTERVAL_SECONDS": "0",
    }
    log = tmp_path / "worker.log"
    try:
        with Receiver() as receiver:
            async with transaction(create_sessionmaker(engine)) as session:
                await webhook_service.do_subscribe(
                    session, url=receiver.url, events=["message.created"], user=None,
                    require_https=False,
                )  # fmt: skip
                conversation, _customer, _token = await conversation_service.start_conversation(
                    session, identity=None, identity_secret=None
                )
                await conversation_service.append_message(
                    session, conversation, author=Author.CUSTOMER, text="Where is my parcel?"
                )
            with tandem_command(["worker"], env, log):
                await eventually(lambda: _true(bool(receiver.posts)), within=180)
    finally:
        await engine.dispose()
    assert b"Where is my parcel?" in receiver.posts[0].body, log.read_text()


async def _true(value: bool) -> bool:
    return value


async def _ready(http: httpx.AsyncClient) -> httpx.Response:
    deadline = time.monotonic() + 60
    while (response := await http.get("/readyz")).status_code != 200:
        if time.monotonic() > deadline:
            pytest.fail(response.text)
        await asyncio.sleep(0.1)
    return response


# -- kill -9 -------------------------------------------------------------------------------


async def _job_states(engine: AsyncEngine, task: str) -> list[str]:
    async with engine.connect() as connection:
        found = await connection.execute(
            text("SELECT status FROM procrastinate_jobs WHERE task_name = :task"), {"task": task}
        )
        return [str(row[0]) for row in found]


@pytest.mark.timeout(600)  # two workers start, load the models and train: slow on a busy machine
async def test_a_job_cut_off_by_kill_9_runs_again_on_another_worker_and_completes_once(
    postgres: Database, tmp_path: Path
) -> None:
    model_dir = tmp_path / "models"
    folder = model_dir / "intents"
    save_model(train(shop_dataset(), config=TINY_CONFIG, mode="light"), folder)
    trained_before = (folder / METADATA).read_bytes()
    base = write_csv(tmp_path / "base.csv", shop_examples())
    env = {
        **os.environ,
        "TANDEM_ENVIRONMENT": "test",
        "TANDEM_DATABASE_URL": postgres.url,
        "TANDEM_MODEL_DIR": str(model_dir),
        "TANDEM_INTENT_TRAINING_DATA": str(base),
        "TANDEM_JOB_STALLED_SECONDS": "3",
        "TANDEM_SWEEP_INTERVAL_SECONDS": "0",
        "TANDEM_LOG_LEVEL": "debug",
    }
    env.pop("TANDEM_REDIS_URL", None)
    settings = settings_for(postgres.url, model_dir=model_dir, intent_training_data=base)
    engine = create_engine(postgres.url)
    queue = Jobs(settings)
    task = "tandem.retrain_intents"
    log = tmp_path / "workers.log"
    try:
        await queue.defer("retrain_intents")
        with tandem_command(["worker"], env, log) as first:
            await eventually(lambda: _in_state(engine, task, ["doing"]), within=120)
            first.send_signal(signal.SIGKILL)  # mid-training: nothing says goodbye
            first.wait()
        assert await _job_states(engine, task) == ["doing"]  # cut off, not finished
        with tandem_command(["worker"], env, log):
            # Its worker silent, the job goes back in line; the second worker completes it
            # and deletes it, as it does every job that succeeds.
            await eventually(lambda: _in_state(engine, task, []), within=120)
    finally:
        await queue.close()
        await engine.dispose()
    assert (folder / METADATA).read_bytes() != trained_before, log.read_text()
    assert "was cut off; it runs again" in log.read_text()
    assert sorted(p.name for p in model_dir.iterdir()) == ["intents"]


async def _in_state(engine: AsyncEngine, task: str, states: list[str]) -> bool:
    return await _job_states(engine, task) == states


# -- what admins see --------------------------------------------------------------------------


async def test_admins_list_failed_jobs_and_retry_them(
    postgres: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = settings_for(postgres.url, sweep_interval_seconds=0)
    engine = create_engine(postgres.url)
    jobs = Jobs(settings)
    await jobs.open()
    # A job of a task this release does not know (say, queued by a newer one) fails.
    job_id = await jobs.queue.configure_task("tandem.from_the_future").defer_async(answer=42)
    jobs.start_worker(Resources(settings, create_sessionmaker(engine)), name="w")
    try:
        await eventually(lambda: _in_state(engine, "tandem.from_the_future", ["failed"]))
    finally:
        await jobs.close()
        await engine.dispose()
    monkeypatch.setenv("TANDEM_DATABASE_URL", postgres.url)
    get_settings.cache_clear()
    try:  # the commands run their own event loop, so in a thread of their own
        listed = in_fresh_thread(lambda: CliRunner().invoke(cli, ["jobs", "list"]))
        retried = in_fresh_thread(lambda: CliRunner().invoke(cli, ["jobs", "retry", str(job_id)]))
        again = in_fresh_thread(lambda: CliRunner().invoke(cli, ["jobs", "retry", str(job_id)]))
        waiting = in_fresh_thread(
            lambda: CliRunner().invoke(cli, ["jobs", "list", "--status", "todo", "--json"])
        )
    finally:
        get_settings.cache_clear()
    assert listed.exit_code == 0, listed.output
    assert f"{job_id}" in listed.output
    assert "tandem.from_the_future" in listed.output
    assert retried.exit_code == 0, retried.output
    assert again.exit_code == 1  # no longer failed
    assert "No failed job" in again.output
    assert '"arguments": {"answer": 42}' in waiting.output
