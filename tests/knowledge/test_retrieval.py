"""Grounded retrieval on the demo knowledge base, measured on golden questions we wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings
from tandem.demo import GOLDEN_QUESTIONS, KNOWLEDGE_DIR
from tandem.knowledge import index as index_module
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.answer_model import load_answer_model
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import IndexedArticle, RetrievalIndex
from tandem.knowledge.live import knowledge_encoder
from tandem.knowledge.passages import split_passages
from tandem.knowledge.regression import read_golden
from tests.factories import write_article

# English questions that stand on their own (follow-ups and other languages are measured by
# `tandem kb test`, which replays them as the bot reads them).
GOLDEN = [q for q in read_golden(GOLDEN_QUESTIONS) if q.lang == "en" and q.after is None]
ANSWERABLE = [q for q in GOLDEN if q.article is not None]
UNANSWERABLE = [q.question for q in GOLDEN if q.article is None]
THRESHOLD = Settings().answer_threshold


def _demo_articles() -> list[IndexedArticle]:
    return [
        IndexedArticle(
            a.slug,
            a.title,
            tuple(a.tags),
            a.body,
            tuple(split_passages(slug=a.slug, title=a.title, body=a.body)),
        )
        for a in read_folder(KNOWLEDGE_DIR)
    ]


@pytest.fixture(scope="module")
def demo_index() -> RetrievalIndex:
    """The default index: words and the multilingual encoder, judged by the answer model."""
    return RetrievalIndex(_demo_articles(), encoder=knowledge_encoder())


@pytest.fixture(scope="module")
def words_index() -> RetrievalIndex:
    """The index of an install without the encoder."""
    return RetrievalIndex(_demo_articles())


def test_refund_question_is_answered_from_the_refund_article(demo_index: RetrievalIndex) -> None:
    best = demo_index.search("how long do refunds take?")[0]
    assert best.passage.slug == "refund-processing-times"
    assert best.score >= THRESHOLD
    assert "business days" in best.passage.text


def test_answers_are_right_when_given(demo_index: RetrievalIndex) -> None:
    answered = right = 0
    for item in ANSWERABLE:
        best = demo_index.search(item.question)[0]
        if best.score >= THRESHOLD:
            answered += 1
            right += best.passage.slug == item.article
    # Floors below what the golden set measured on 2026-12-03 (answered 61%, right 95%; the
    # answer model was trained on other companies): most answered, and answers mostly right.
    assert answered / len(ANSWERABLE) >= 0.55
    assert right / answered >= 0.90


def test_a_question_in_capitals_is_answered_as_written(demo_index: RetrievalIndex) -> None:
    def right(question: str, article: str | None) -> bool:
        best = demo_index.search(question)[0]
        return best.score >= THRESHOLD and best.passage.slug == article

    written = [q for q in ANSWERABLE if right(q.question, q.article)]
    shouted = sum(right(q.question.upper(), q.article) for q in written)
    # Read as written, 101 of the 121 came back right in capitals on 2026-12-05; read in
    # sentence case, 118.
    assert shouted / len(written) >= 0.93


def test_the_right_article_is_usually_among_the_suggestions(demo_index: RetrievalIndex) -> None:
    found = 0
    for item in ANSWERABLE:
        slugs: list[str] = []
        for hit in demo_index.search(item.question, limit=30):
            if hit.passage.slug not in slugs:
                slugs.append(hit.passage.slug)
        found += item.article in slugs[:3]
    assert found / len(ANSWERABLE) >= 0.85


def test_without_the_encoder_the_words_still_answer(words_index: RetrievalIndex) -> None:
    best = words_index.search("how long do refunds take?")[0]
    assert best.passage.slug == "refund-processing-times"
    assert best.score >= THRESHOLD
    off_topic = words_index.search("do you sell garden sheds?")[0]
    assert off_topic.score < THRESHOLD


def test_questions_the_knowledge_base_does_not_cover_are_not_answered(
    demo_index: RetrievalIndex,
) -> None:
    answered = [q for q in UNANSWERABLE if demo_index.search(q)[0].score >= THRESHOLD]
    # Measured 15% on 2026-12-03 (7.5% on the first 40, 23% on the 35 added that day).
    assert len(answered) / len(UNANSWERABLE) <= 0.20, answered


def test_typos_still_find_the_article(demo_index: RetrievalIndex) -> None:
    assert demo_index.search("how lnog do refnds take")[0].passage.slug == "refund-processing-times"


def _judged_in_full(index: RetrievalIndex, question: str) -> dict[str, float]:
    """Each article's probability when the model judges every passage of the index."""
    probability = load_answer_model().probability(index.evidence(question), dense=index.dense)
    best: dict[str, float] = {}
    for passage, value in zip(index.passages, probability.tolist(), strict=True):
        best[passage.slug] = max(best.get(passage.slug, 0.0), value)
    return best


def test_a_short_shortlist_scores_articles_as_judging_every_passage_does(
    demo_index: RetrievalIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Search judges only the articles near the top of some ranking; gaps and bests still
    # compare with the whole index, so every article it scores gets the same probability.
    monkeypatch.setattr(index_module, "SHORTLIST", 2)
    for item in ANSWERABLE[:25] + [q for q in GOLDEN if q.article is None][:10]:
        full = _judged_in_full(demo_index, item.question)
        hits = demo_index.search(item.question, limit=50)
        assert len({h.passage.slug for h in hits}) < len(full)  # the shortlist left some out
        for hit in hits:
            assert hit.score == pytest.approx(full[hit.passage.slug], abs=1e-6)


def test_the_shortlist_keeps_the_best_article(demo_index: RetrievalIndex) -> None:
    for item in GOLDEN:
        full = _judged_in_full(demo_index, item.question)
        best = demo_index.search(item.question, limit=1)[0]
        assert best.score == pytest.approx(max(full.values()), abs=1e-6), item.question


def test_empty_index_finds_nothing() -> None:
    assert RetrievalIndex([]).search("anything") == []


async def test_index_follows_knowledge_changes(session: AsyncSession, tmp_path: Path) -> None:
    write_article(tmp_path, "parrots", title="Do you sell parrots?", body="We sell no parrots.")
    await knowledge_service.import_folder(session, tmp_path)
    assert (await knowledge_service.retrieve(session, "parrots")).articles[0].slug == "parrots"

    write_article(tmp_path, "hamsters", title="Do you sell hamsters?", body="Hamsters: yes.")
    await knowledge_service.import_folder(session, tmp_path)
    retrieval = await knowledge_service.retrieve(session, "can I buy a hamster")
    assert retrieval.best is not None
    assert retrieval.best.passage.slug == "hamsters"
