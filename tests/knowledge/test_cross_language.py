"""A question in another supported language finds the article in the company's language."""

from __future__ import annotations

import pytest

from tandem.config import Settings
from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import RetrievalIndex
from tandem.knowledge.service import build_index


@pytest.fixture(scope="module")
def index() -> RetrievalIndex:
    return build_index((a.slug, a.title, tuple(a.tags), a.body) for a in read_folder(KNOWLEDGE_DIR))


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("¿Cuánto cuesta el envío?", "shipping-costs"),
        ("退款需要多长时间？", "refund-processing-times"),
        ("Wie lange dauert die Lieferung?", "delivery-times"),
    ],
)
def test_a_foreign_question_finds_the_english_article(
    index: RetrievalIndex, question: str, slug: str
) -> None:
    [best] = index.search(question, limit=1)
    assert best.passage.slug == slug
    assert best.score >= Settings().answer_threshold


def test_english_questions_keep_their_lexical_scores(index: RetrievalIndex) -> None:
    lexical = RetrievalIndex(index.articles)
    question = "how long do refunds take?"
    assert index.search(question, limit=1) == lexical.search(question, limit=1)
