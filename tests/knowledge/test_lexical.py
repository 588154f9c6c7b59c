"""Word-level evidence: the fast paths give exactly what the reference implementations give."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge.importer import read_folder
from tandem.knowledge.lexical import TfidfLevel, analyse, char_grams, content_words

_SKLEARN_CHAR_WB = TfidfVectorizer(
    analyzer="char_wb", ngram_range=(3, 5), strip_accents="unicode"
).build_analyzer()


@pytest.mark.parametrize(
    "text",
    ["", "a", "ab", "abc", "abcd", "  x  y\t\nz ", "Ça coûte 5 € : naïve façade", "转人工 请快点"],
)
def test_character_grams_match_sklearn_char_wb(text: str) -> None:
    assert char_grams(text) == _SKLEARN_CHAR_WB(text)


def test_character_grams_match_sklearn_on_every_demo_article() -> None:
    for article in read_folder(KNOWLEDGE_DIR):
        assert char_grams(article.body) == _SKLEARN_CHAR_WB(article.body), article.slug


def test_analyse_stems_and_drops_stop_words() -> None:
    assert analyse("The parcels were delivered, not refunded") == [
        "parcel",
        "deliv",
        "not",
        "refund",
    ]


@pytest.mark.parametrize(
    "question",
    [
        "do you ship to norway?",
        "refund refund refund please, my parcel never arrived",
        "Ça coûte combien, la livraison ?",
        "转人工",
        "",
        "zzzz qqqq",
    ],
)
def test_a_question_scores_as_sklearn_transform_and_cosine_would(question: str) -> None:
    bodies = [article.body for article in read_folder(KNOWLEDGE_DIR)]
    level = TfidfLevel(bodies)
    expected = np.zeros(len(bodies))
    for analyzer, text, share in (
        (analyse, question, 0.65),
        (char_grams, content_words(question), 0.35),
    ):
        reference = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
        documents = reference.fit_transform(bodies)
        expected += share * (documents @ reference.transform([text]).T).toarray().ravel()
    np.testing.assert_allclose(level.similarity(question), expected, atol=1e-6)
