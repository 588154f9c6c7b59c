"""Shared fixtures: real SQLite and PostgreSQL databases, a rolled-back transaction per test.

Every test that asks for ``session`` (or ``client``) runs once on SQLite and once on
PostgreSQL. Under CI=true a PostgreSQL that cannot be reached fails the run instead of
skipping.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tandem import migrations
from tandem.app import create_app
from tandem.config import Settings
from tandem.core.db import create_engine
from tandem.core.deps import get_session
from tandem.core.followups import queue_pending_jobs
from tandem.knowledge import service as knowledge_service

POSTGRES_ADMIN_URL = os.environ.get(
    "TANDEM_TEST_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
# Real mail servers for the e-mail tests: the dovecot, smtp_relay and smtp_relay_with_login
# fixtures.
pytest_plugins = ["tests.mailservers"]
# A question waits for a rebuilt knowledge index (the default 2 s lets a busy machine answer
# from the previous one); tests/knowledge/test_live_index.py tests the wait itself.
os.environ.setdefault("TANDEM_KNOWLEDGE_REBUILD_WAIT_SECONDS", "600")
# Tests share a database and roll back after each test, so row ids come round again and a
# report's data version can repeat with other rows behind it; reports read their rows afresh
# (tests/analytics/test_report_cache.py tests the reuse itself).
os.environ.setdefault("TANDEM_REPORT_CACHE_SECONDS", "0")
T = TypeVar("T")


@dataclass(frozen=True)
class Database:
    backend: str
    url: str


async def _create_pg_database() -> tuple[str, str]:
    name = f"tandem_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return name, f"{base}/{name}"


async def _drop_pg_database(name: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def in_fresh_thread(work: Callable[[], T]) -> T:
    """Run blocking set-up that calls asyncio.run() even while this thread runs a loop.

    Playwright's sync API keeps an event loop running in the test thread.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def drop_pg_database(name: str) -> None:
    in_fresh_thread(lambda: asyncio.run(_drop_pg_database(name)))


def make_database(backend: str, tmp_dir: Path) -> tuple[Database, str | None]:
    """Create and migrate a fresh database; return it and the PostgreSQL name to drop later."""
    return in_fresh_thread(lambda: _make_database(backend, tmp_dir))


def _make_database(backend: str, tmp_dir: Path) -> tuple[Database, str | None]:
    if backend == "sqlite":
        database = Database("sqlite", f"sqlite+aiosqlite:///{tmp_dir / 'tandem.db'}")
        migrations.upgrade(database.url)
        return database, None
    try:
        name, url = asyncio.run(_create_pg_database())
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        message = f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {error}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    database = Database("postgresql", url)
    migrations.upgrade(database.url)
    return database, name


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    db, pg_name = make_database(request.param, tmp_path_factory.mktemp(request.param))
    yield db
    if pg_name:
        drop_pg_database(pg_name)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database of the test's own, migrated, dropped afterwards (on both backends)."""
    database, pg_name = make_database(request.param, tmp_path)
    yield database
    if pg_name:
        drop_pg_database(pg_name)


@pytest.fixture(scope="session")
async def engine(database: Database) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database.url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back after the test."""
    knowledge_service.index_cache.clear()
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


def settings_for(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "company_name": "Pebble & Pine",
        "identity_secret": "test-identity-secret",
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def settings(database: Database) -> Settings:
    return settings_for(database.url)


@pytest.fixture
async def app(session: AsyncSession, settings: Settings) -> AsyncIterator[FastAPI]:
    """The application, whose requests share the test's rolled-back session."""
    async with app_sharing(session, settings) as application:
        yield application


@contextlib.asynccontextmanager
async def app_sharing(session: AsyncSession, settings: Settings) -> AsyncIterator[FastAPI]:
    """An application with ``settings`` whose requests share the test's session."""
    application = create_app(settings)

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session
        await session.flush()
        await queue_pending_jobs(session)  # as after a commit (no job queue unless a test sets one)

    application.dependency_overrides[get_session] = test_session
    try:
        yield application
    finally:
        await application.state.jobs.close()
        await application.state.engine.dispose()


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as http:
        yield http


@pytest.fixture
async def other_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser: its own cookies, the same application."""
    async with _client(app) as http:
        yield http
