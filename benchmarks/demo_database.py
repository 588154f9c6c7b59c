"""The demo shop in a fresh SQLite database, for benchmarks that replay traffic through it."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tandem import migrations
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.demo.history import seed_history
from tandem.demo.seed import seed


@dataclass(frozen=True, slots=True)
class DemoDatabase:
    url: str
    engine: AsyncEngine
    factory: async_sessionmaker[AsyncSession]


@asynccontextmanager
async def demo_database(*, history: bool = False) -> AsyncIterator[DemoDatabase]:
    """Migrate a temporary SQLite file and seed the demo shop (and its six weeks of history)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_engine(url)
        factory = create_sessionmaker(engine)
        async with transaction(factory) as session:
            await seed(session)
            if history:
                await seed_history(session)
        try:
            yield DemoDatabase(url, engine, factory)
        finally:
            await engine.dispose()
