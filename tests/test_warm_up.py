"""A starting server builds the knowledge index and loads its models before its first customer
arrives."""

from __future__ import annotations

import gc

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.knowledge import service as knowledge_service
from tandem.privacy.code_model import load_code_model
from tandem.privacy.password_model import load_password_model
from tests.factories import import_demo_knowledge


async def test_startup_builds_the_knowledge_index(app: FastAPI, session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await session.commit()
    knowledge_service.index_cache.clear()
    async with app.router.lifespan_context(app), app.state.sessionmaker() as fresh:
        assert knowledge_service.index_cache.holds(fresh)


async def test_startup_loads_the_redaction_models(app: FastAPI) -> None:
    load_password_model.cache_clear()
    load_code_model.cache_clear()
    async with app.router.lifespan_context(app):
        assert load_password_model.cache_info().currsize == 1
        assert load_code_model.cache_info().currsize == 1


async def test_startup_freezes_what_it_loaded_out_of_full_collections(app: FastAPI) -> None:
    gc.unfreeze()
    try:
        async with app.router.lifespan_context(app):
            assert not any(o is app for o in gc.get_objects())
    finally:
        gc.unfreeze()
