"""A starting server builds the knowledge index before its first customer arrives."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.knowledge import service as knowledge_service
from tests.factories import import_demo_knowledge


async def test_startup_builds_the_knowledge_index(app: FastAPI, session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await session.commit()
    knowledge_service.index_cache.clear()
    async with app.router.lifespan_context(app), app.state.sessionmaker() as fresh:
        assert knowledge_service.index_cache.holds(fresh)
