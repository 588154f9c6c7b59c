"""The live index: rebuilt in background after a change; the previous one answers meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.knowledge import service as knowledge_service
from tandem.knowledge.live import index_cache
from tests.factories import write_article


@pytest.fixture
def no_waiting() -> Iterator[None]:
    """Questions never wait for a rebuild (as if it took longer than the configured wait)."""
    before = index_cache.wait_seconds
    index_cache.wait_seconds = 0
    yield
    index_cache.wait_seconds = before


async def _parrots_then_hamsters(session: AsyncSession, folder: Path) -> None:
    """Index an article on parrots, then import one on hamsters (the index is now stale)."""
    write_article(folder, "parrots", title="Do you sell parrots?", body="We sell no parrots.")
    await knowledge_service.import_folder(session, folder)
    await index_cache.get(session)
    write_article(folder, "hamsters", title="Do you sell hamsters?", body="Hamsters: yes.")
    await knowledge_service.import_folder(session, folder)


async def _slugs(session: AsyncSession, question: str) -> list[str]:
    return [a.slug for a in (await knowledge_service.retrieve(session, question)).articles]


@pytest.mark.usefixtures("no_waiting")
async def test_the_previous_index_answers_until_the_rebuild_is_done(
    session: AsyncSession, tmp_path: Path
) -> None:
    write_article(tmp_path, "parrots", title="Do you sell parrots?", body="We sell no parrots.")
    await knowledge_service.import_folder(session, tmp_path)
    assert await _slugs(session, "parrots") == ["parrots"]  # the first index is waited for

    write_article(tmp_path, "hamsters", title="Do you sell hamsters?", body="Hamsters: yes.")
    await knowledge_service.import_folder(session, tmp_path)
    assert "hamsters" not in await _slugs(session, "hamsters")  # still the previous index

    await index_cache.settled()
    assert (await _slugs(session, "hamsters"))[0] == "hamsters"


async def test_a_rebuild_reads_the_vectors_stored_since_the_last_one(
    session: AsyncSession, tmp_path: Path
) -> None:
    await _parrots_then_hamsters(session, tmp_path)  # the import stores the hamsters' vectors
    index = await index_cache.get(session)

    assert {a.slug for a in index.articles} == {"parrots", "hamsters"}
    assert index.encoded == {}  # read, not encoded again


async def test_questions_wait_for_the_rebuild_by_default(
    session: AsyncSession, tmp_path: Path
) -> None:
    await _parrots_then_hamsters(session, tmp_path)

    assert (await _slugs(session, "hamsters"))[0] == "hamsters"
