"""Word-level evidence: the fast paths give exactly what the reference implementations give."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge.importer import read_folder
from tandem.knowledge.lexical import analyse, char_grams

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
