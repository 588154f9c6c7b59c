"""The live retrieval index: one per database, rebuilt in the background when articles change.

A rebuild re-indexes the words and reads the stored vectors (:mod:`tandem.knowledge.vectors`);
at 10,000 articles it takes about 30 s. Meanwhile a question waits for it at most
``wait_seconds`` and is then answered from the previous index, so no customer waits for a
knowledge change. The first index of a database is always waited for.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.core import metrics
from tandem.core.db import transaction
from tandem.core.time import utc_now
from tandem.knowledge import repository, vectors
from tandem.knowledge.answer_model import load_answer_model
from tandem.knowledge.index import RetrievalIndex, indexed
from tandem.knowledge.models import Article
from tandem.nlu.encoder import EncoderNotFoundError, SentenceEncoder, load_encoder

ArticleRow = tuple[str, str, tuple[str, ...], str]  # slug, title, tags, body
# Vectors stored this long before the last load are read again: processes' clocks differ.
CLOCK_MARGIN = timedelta(minutes=10)

logger = logging.getLogger(__name__)


def row(article: Article) -> ArticleRow:
    return (article.slug, article.title, tuple(article.tags), article.body)


def knowledge_encoder() -> SentenceEncoder | None:
    """The encoder the answer model was trained through, or None (words only) if it cannot load."""
    name = load_answer_model().encoder
    try:
        return load_encoder(name)
    except EncoderNotFoundError as error:
        logger.warning("knowledge search uses words only: %s", error)
        return None


def build_index(
    articles: Iterable[ArticleRow], *, stored: Mapping[str, NDArray[np.float32]] | None = None
) -> RetrievalIndex:
    """Index (slug, title, tags, body) articles with their passages, lexically and densely.

    ``stored`` vectors are used as they are; other text is encoded now.
    """
    return RetrievalIndex(
        [indexed(slug, title, tags, body) for slug, title, tags, body in articles],
        encoder=knowledge_encoder(),
        stored=stored,
    )


async def stored_vectors(session: AsyncSession) -> dict[str, NDArray[np.float32]]:
    """The stored vectors of the knowledge encoder, for indexes built outside the cache."""
    encoder = knowledge_encoder()
    return await vectors.load(session, encoder.name) if encoder is not None else {}


@dataclass(frozen=True, slots=True)
class _Entry:
    revision: Any  # repository.revision()
    index: RetrievalIndex
    loaded_at: datetime | None  # when the stored vectors were last read


class IndexCache:
    """One index per database, rebuilt when the articles' revision changes (in any process).

    ``wait_seconds``: how long a question waits for a rebuild before the previous index answers
    (None: until it is done, as the command line does).
    """

    def __init__(self) -> None:
        self.wait_seconds: float | None = None
        self._entries: dict[str, _Entry] = {}
        self._builds: dict[str, tuple[Any, asyncio.Task[RetrievalIndex]]] = {}
        self._lock = asyncio.Lock()
        self._generation = 0

    async def get(self, session: AsyncSession) -> RetrievalIndex:
        key = str(session.get_bind().engine.url)
        current = await repository.revision(session)
        entry = self._entries.get(key)
        if entry is not None and entry.revision == current:
            return entry.index
        async with self._lock:  # held to start a build, never while one runs
            build = self._builds.get(key)
            if build is None or build[0] != current:
                build = (current, await self._start(session, key, current, entry))
                self._builds[key] = build
        task = build[1]
        if entry is None or self.wait_seconds is None:
            return await asyncio.shield(task)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.wait_seconds)
        except TimeoutError:
            return entry.index

    async def _start(
        self, session: AsyncSession, key: str, revision: Any, entry: _Entry | None
    ) -> asyncio.Task[RetrievalIndex]:
        rows = [row(a) for a in await repository.list_articles(session)]
        encoder = knowledge_encoder()
        # The previous index's own vectors (views: no second copy is kept between rebuilds).
        known = entry.index.vectors() if entry is not None else {}
        loaded_at = utc_now()
        if encoder is not None:
            since = entry.loaded_at - CLOCK_MARGIN if entry and entry.loaded_at else None
            known.update(await vectors.load(session, encoder.name, since=since))
        task = asyncio.create_task(
            self._build(key, revision, rows, known, loaded_at, self._generation)
        )
        task.add_done_callback(_log_failure)
        return task

    async def _build(
        self,
        key: str,
        revision: Any,
        rows: list[ArticleRow],
        known: dict[str, NDArray[np.float32]],
        loaded_at: datetime,
        generation: int,
    ) -> RetrievalIndex:
        started = time.perf_counter()
        try:
            index = await asyncio.to_thread(build_index, rows, stored=known)
            if generation == self._generation:  # before the build is let go: no gap to rebuild
                self._entries[key] = _Entry(revision, index, loaded_at)
        finally:
            if self._builds.get(key, (None, None))[1] is asyncio.current_task():
                del self._builds[key]
        metrics.KNOWLEDGE_BUILD_SECONDS.observe(time.perf_counter() - started)
        metrics.KNOWLEDGE_PASSAGES.set(len(index))
        metrics.KNOWLEDGE_ENCODED.labels("rebuild").inc(len(index.encoded))
        if index.encoded:
            logger.info(
                "knowledge index: encoded %d texts that were not stored (this process keeps "
                "them; `tandem kb reindex` or the next start stores them)",
                len(index.encoded),
            )
        return index

    async def settled(self) -> None:
        """Wait for the rebuilds under way."""
        tasks = [task for _, task in self._builds.values()]
        await asyncio.gather(*tasks, return_exceptions=True)

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()
        self._builds.clear()

    def holds(self, session: AsyncSession) -> bool:
        """Tell whether an index of this session's database has been built."""
        return str(session.get_bind().engine.url) in self._entries


def _log_failure(task: asyncio.Task[RetrievalIndex]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("knowledge index rebuild failed", exc_info=task.exception())


index_cache = IndexCache()


async def warm_up(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Build this process's index; store what it had to encode, so no process encodes it again."""
    async with sessionmaker() as session:
        index = await index_cache.get(session)
    encoder = knowledge_encoder()
    if index.encoded and encoder is not None:
        async with transaction(sessionmaker) as session:
            await vectors.save(session, encoder.name, index.encoded)
