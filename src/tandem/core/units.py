"""Run a command's work in one database transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings
from tandem.core.commands import fail
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.errors import TandemError

T = TypeVar("T")


def run_unit(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction on the configured database.

    A TandemError becomes a red message and exit status 1.
    """

    async def runner() -> T:
        engine = create_engine(settings.database_url)
        try:
            async with transaction(create_sessionmaker(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(runner())
    except TandemError as error:
        raise fail(error.message) from error
