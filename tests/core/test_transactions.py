"""Units of work on SQLite: a GET that must write starts as a writer, or it can fail at once."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from tandem.core.db import create_engine, create_sessionmaker, transaction, write_from_here


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'units.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE logins (id INTEGER PRIMARY KEY, who TEXT)"))
    yield engine
    await engine.dispose()


async def test_a_read_that_turns_into_a_write_fails_after_another_write(
    engine: AsyncEngine,
) -> None:
    """Why write_from_here exists: SQLite cannot upgrade a stale read, and does not wait."""
    factory = create_sessionmaker(engine)
    async with factory() as reader:
        await reader.execute(text("SELECT count(*) FROM logins"))
        async with transaction(factory) as writer:
            await writer.execute(text("INSERT INTO logins (who) VALUES ('other request')"))
        with pytest.raises(OperationalError, match="locked"):
            await reader.execute(text("INSERT INTO logins (who) VALUES ('sso')"))
        await reader.rollback()


async def test_a_get_that_starts_as_a_writer_holds_the_write_lock_and_keeps_its_write(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    factory = create_sessionmaker(engine)
    async with transaction(factory, write=False) as callback:
        await write_from_here(callback)
        await callback.execute(text("SELECT count(*) FROM logins"))
        other = sqlite3.connect(tmp_path / "units.db", timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # another request must wait its turn
        finally:
            other.close()
        await callback.execute(text("INSERT INTO logins (who) VALUES ('sso')"))
    async with transaction(factory, write=False) as check:
        rows = (await check.execute(text("SELECT who FROM logins"))).scalars().all()
    assert rows == ["sso"]


async def test_a_session_that_is_no_reader_is_left_as_it_is(engine: AsyncEngine) -> None:
    factory = create_sessionmaker(engine)
    async with factory() as shared:
        await shared.execute(text("SELECT 1"))
        await write_from_here(shared)
        assert shared.in_transaction()
        await shared.rollback()


async def test_a_get_that_has_read_already_becomes_a_writer_after_another_write(
    engine: AsyncEngine,
) -> None:
    """An agent's console page reads the login, then renews "last seen": it must not fail."""
    factory = create_sessionmaker(engine)
    async with transaction(factory, write=False) as page:
        await page.execute(text("SELECT count(*) FROM logins"))
        async with transaction(factory) as writer:
            await writer.execute(text("INSERT INTO logins (who) VALUES ('other request')"))
        await write_from_here(page)
        await page.execute(text("INSERT INTO logins (who) VALUES ('seen')"))
    async with transaction(factory, write=False) as check:
        rows = (await check.execute(text("SELECT who FROM logins ORDER BY id"))).scalars().all()
    assert rows == ["other request", "seen"]
