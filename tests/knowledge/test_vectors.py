"""Encoded knowledge is stored once and shared: a rebuild or another process encodes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.knowledge import index as index_module
from tandem.knowledge import service as knowledge_service
from tandem.knowledge import vectors
from tandem.knowledge.index import PASSAGE, RetrievalIndex, dense_texts, indexed, vector_key
from tandem.knowledge.live import knowledge_encoder
from tandem.knowledge.models import StoredVector
from tandem.knowledge.regression import GoldenQuestion
from tandem.knowledge.service import RegressionCheck
from tandem.nlu.encoder import PairedEncoder, SentenceEncoder
from tests.factories import write_article

REFUNDS = "Refunds reach your card within 5 business days.\n\nStore credit is instant."


@pytest.fixture
def encoder_name() -> str:
    encoder = knowledge_encoder()
    assert encoder is not None, "the shipped encoder must load"
    return encoder.name


async def _keys(session: AsyncSession, encoder: str) -> set[str]:
    return await vectors.stored_keys(session, encoder)


async def _import_refunds(session: AsyncSession, folder: Path, body: str = REFUNDS) -> None:
    write_article(folder, "refunds", title="How long do refunds take?", body=body)
    await knowledge_service.import_folder(session, folder)


async def test_an_import_stores_a_vector_for_every_passage_and_title(
    session: AsyncSession, tmp_path: Path, encoder_name: str
) -> None:
    await _import_refunds(session, tmp_path)

    expected = dense_texts([indexed("refunds", "How long do refunds take?", ("faq",), REFUNDS)])
    assert await _keys(session, encoder_name) == set(expected)
    stored = await vectors.load(session, encoder_name)
    encoder = knowledge_encoder()
    assert encoder is not None
    for key, (kind, text) in expected.items():
        fresh = encoder.encode_passages([text]) if kind == PASSAGE else encoder.encode([text])
        np.testing.assert_allclose(stored[key], fresh[0], atol=1e-6)


async def test_a_rebuilt_index_encodes_nothing_that_is_stored(
    session: AsyncSession, tmp_path: Path
) -> None:
    await _import_refunds(session, tmp_path)

    knowledge_service.index_cache.clear()  # as a new process would start
    index = await knowledge_service.index_cache.get(session)
    assert index.encoded == {}
    retrieval = await knowledge_service.retrieve(session, "when will my money be back?")
    assert retrieval.best is not None
    assert retrieval.best.passage.slug == "refunds"


async def test_changing_an_article_encodes_only_the_changed_passage_and_drops_the_old(
    session: AsyncSession, tmp_path: Path, encoder_name: str
) -> None:
    await _import_refunds(session, tmp_path)
    before = await _keys(session, encoder_name)

    changed = REFUNDS.replace("5 business days", "3 business days")
    await _import_refunds(session, tmp_path, changed)
    after = await _keys(session, encoder_name)

    expected = dense_texts([indexed("refunds", "How long do refunds take?", ("faq",), changed)])
    assert after == set(expected)
    assert len(after - before) == 1  # the first paragraph; the title and the second stay
    assert len(before - after) == 1


async def test_deleting_articles_drops_their_vectors(
    session: AsyncSession, tmp_path: Path, encoder_name: str
) -> None:
    write_article(tmp_path, "refunds", title="How long do refunds take?", body=REFUNDS)
    write_article(tmp_path, "parrots", title="Do you sell parrots?", body="We sell no parrots.")
    await knowledge_service.import_folder(session, tmp_path)
    (tmp_path / "parrots.md").unlink()
    await knowledge_service.import_folder(session, tmp_path)

    assert vector_key("query", "Do you sell parrots?") not in await _keys(session, encoder_name)
    assert vector_key("query", "How long do refunds take?") in await _keys(session, encoder_name)


async def test_saving_a_vector_twice_keeps_one_row(session: AsyncSession) -> None:
    vector = np.linspace(-1, 1, 8, dtype=np.float32)
    await vectors.save(session, "test-encoder", {"k": vector})
    await vectors.save(session, "test-encoder", {"k": vector * 2})  # another process got there

    count = select(func.count()).select_from(StoredVector).where(StoredVector.key == "k")
    assert (await session.execute(count)).scalar_one() == 1
    np.testing.assert_array_equal((await vectors.load(session, "test-encoder"))["k"], vector)


async def test_reindex_stores_what_is_missing_and_removes_what_no_article_uses(
    session: AsyncSession, tmp_path: Path, encoder_name: str
) -> None:
    await _import_refunds(session, tmp_path)
    expected = await _keys(session, encoder_name)
    await vectors.prune(session, encoder_name, keep=set())  # as after an upgrade
    await vectors.save(session, encoder_name, {"0" * 64: np.zeros(384, dtype=np.float32)})

    stored, pruned = await knowledge_service.store_all_vectors(session)

    assert (stored, pruned) == (len(expected), 1)
    assert await _keys(session, encoder_name) == expected


async def test_reindex_drops_the_vectors_of_an_encoder_no_longer_read_through(
    session: AsyncSession, tmp_path: Path, encoder_name: str
) -> None:
    await _import_refunds(session, tmp_path)
    await vectors.save(session, "an-old-encoder", {"1" * 64: np.ones(384, dtype=np.float32)})

    _stored, pruned = await knowledge_service.store_all_vectors(session)

    assert pruned == 1
    assert await _keys(session, "an-old-encoder") == set()
    assert await _keys(session, encoder_name)


async def test_the_golden_replay_before_an_import_encodes_only_the_changed_text(
    session: AsyncSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _import_refunds(session, tmp_path)
    encoded: list[int] = []
    encode = index_module.encode_texts

    def counted(encoder: SentenceEncoder, texts: Sequence[tuple[str, str]]) -> NDArray[np.float32]:
        encoded.append(len(texts))
        return encode(encoder, texts)

    monkeypatch.setattr(index_module, "encode_texts", counted)
    golden = [GoldenQuestion("How long do refunds take?", "refunds")]
    check = RegressionCheck(golden, threshold=0.7, allow_regressions=True)
    write_article(tmp_path, "refunds", title="How long do refunds take?", body=REFUNDS + " Soon.")
    await knowledge_service.import_folder(session, tmp_path, check=check)

    assert encoded == [1]  # the index as it would be: its changed paragraph; the rest is stored


def test_an_index_hands_its_vectors_to_the_next_build() -> None:
    encoder = knowledge_encoder()
    articles = [indexed("refunds", "How long do refunds take?", ("faq",), REFUNDS)]
    first = RetrievalIndex(articles, encoder=encoder)
    handed = first.vectors()

    assert set(handed) == set(dense_texts(articles))
    assert RetrievalIndex(articles, encoder=encoder, stored=handed).encoded == {}
    assert RetrievalIndex(articles).vectors() == {}  # words only: nothing to hand on


def test_handed_vectors_keep_both_halves_of_a_pair_so_the_next_build_searches_alike() -> None:
    encoder = knowledge_encoder()
    assert isinstance(encoder, PairedEncoder)
    articles = [indexed("refunds", "How long do refunds take?", ("faq",), REFUNDS)]
    first = RetrievalIndex(articles, encoder=encoder)
    handed = first.vectors()
    assert {v.shape for v in handed.values()} == {(sum(encoder.dims),)}
    again = RetrievalIndex(articles, encoder=encoder, stored=handed)
    question = "¿cuánto tarda el reembolso?"  # foreign: reads the second half too
    assert [h.score for h in again.search(question)] == [h.score for h in first.search(question)]
