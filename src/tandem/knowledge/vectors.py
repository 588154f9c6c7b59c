"""Encoded knowledge kept in the database: every process builds its index without re-encoding.

Encoding one passage with multilingual E5 costs about 90 ms on two cores; 10,000 articles
hold about 100,000 passages, hours of CPU. Vectors are stored by encoder and by
:func:`tandem.knowledge.index.vector_key`, so an import or an approval encodes only the text
that changed, and every worker and machine reads the same vectors. PostgreSQL's pgvector
is not packaged for the PostgreSQL of Debian 12; the vectors are read into memory, where a
search compares a question with all of them in about 5 ms at 100,000 passages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.core import metrics
from tandem.core.time import utc_now
from tandem.knowledge.index import IndexedArticle, dense_texts, encode_texts
from tandem.knowledge.models import StoredVector
from tandem.nlu.encoder import SentenceEncoder

_BATCH = 500  # rows per statement: well under every database's parameter limit
_DTYPE = np.dtype("<f4")


def _blob(vector: NDArray[np.float32]) -> bytes:
    return vector.astype(_DTYPE).tobytes()


async def load(
    session: AsyncSession, encoder: str, *, since: datetime | None = None
) -> dict[str, NDArray[np.float32]]:
    """The vectors stored for ``encoder`` (since a time, or all), by key."""
    query = select(StoredVector.key, StoredVector.vector).where(StoredVector.encoder == encoder)
    if since is not None:
        query = query.where(StoredVector.created_at >= since)
    rows = (await session.execute(query)).all()
    return {key: np.frombuffer(blob, dtype=_DTYPE).astype(np.float32) for key, blob in rows}


async def stored_keys(session: AsyncSession, encoder: str) -> set[str]:
    query = select(StoredVector.key).where(StoredVector.encoder == encoder)
    return set((await session.execute(query)).scalars())


async def save(
    session: AsyncSession, encoder: str, vectors: Mapping[str, NDArray[np.float32]]
) -> None:
    """Store vectors; a key already stored (by another process, say) is left as it is."""
    items = list(vectors.items())
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utc_now()
    for start in range(0, len(items), _BATCH):
        rows = [
            {"encoder": encoder, "key": key, "vector": _blob(vector), "created_at": now}
            for key, vector in items[start : start + _BATCH]
        ]
        await session.execute(insert(StoredVector).values(rows).on_conflict_do_nothing())


async def prune(session: AsyncSession, encoder: str, keep: Collection[str]) -> int:
    """Delete ``encoder``'s vectors whose text no article uses any more; return how many."""
    stale = sorted((await stored_keys(session, encoder)) - set(keep))
    for start in range(0, len(stale), _BATCH):
        batch = stale[start : start + _BATCH]
        await session.execute(
            delete(StoredVector).where(StoredVector.encoder == encoder, StoredVector.key.in_(batch))
        )
    return len(stale)


async def prune_other_encoders(session: AsyncSession, encoder: str) -> int:
    """Delete every vector stored for another encoder than ``encoder``; return how many."""
    result = await session.execute(delete(StoredVector).where(StoredVector.encoder != encoder))
    return int(getattr(result, "rowcount", 0) or 0)


async def encode_missing(
    session: AsyncSession, encoder: SentenceEncoder, articles: Sequence[IndexedArticle]
) -> int:
    """Encode and store what these articles need that is not stored yet; return how many."""
    texts = dense_texts(articles)
    known = await stored_keys(session, encoder.name)
    missing = [key for key in texts if key not in known]
    if not missing:
        return 0
    vectors = await asyncio.to_thread(encode_texts, encoder, [texts[k] for k in missing])
    metrics.KNOWLEDGE_ENCODED.labels("import").inc(len(missing))
    await save(session, encoder.name, dict(zip(missing, vectors, strict=True)))
    return len(missing)
