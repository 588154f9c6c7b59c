"""Turn customer messages into TF-IDF features: word 1-2-grams and in-word character n-grams.

Word n-grams carry phrasing ("cancel my order"); character n-grams inside word boundaries carry
typos, inflections and unseen compounds ("cancelation", "pasword"), and need no language-specific
tokeniser or stemmer. Both are sublinear and L2-normalised per block, then stacked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from tandem.nlu.normalize import normalize

_DIGITS = re.compile(r"\d")
# Keeps one-letter words ("i", "a") that phrasing relies on.
_WORD_PATTERN = r"(?u)\b\w+\b"
# Caps keep the artefact and the per-class weight matrix bounded on large training sets;
# n-grams past the cap are the rarest ones, which generalise least.
MAX_WORD_FEATURES = 40_000
MAX_CHAR_FEATURES = 80_000


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """The n-gram ranges of the two blocks; chosen by cross-validation during training."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)

    def describe(self) -> str:
        (w1, w2), (c1, c2) = self.word_ngrams, self.char_ngrams
        return f"words {w1}-{w2}, chars {c1}-{c2}"


def prepare(text: str) -> str:
    """Return text normalised for features: case-folded, accents and elongations gone, digits 0.

    Digits become "0" so that order numbers and amounts read as a shape, not as vocabulary.
    """
    return _DIGITS.sub("0", normalize(text))


@dataclass(slots=True)
class TextFeatures:
    """Fitted word and character vocabularies with their IDF weights."""

    config: FeatureConfig
    word: TfidfVectorizer
    char: TfidfVectorizer

    @classmethod
    def fit(cls, texts: Sequence[str], config: FeatureConfig) -> TextFeatures:
        """Learn vocabularies and IDF weights from prepared texts."""
        word = _word_vectorizer(config)
        char = _char_vectorizer(config)
        word.fit(texts)
        char.fit(texts)
        for vectorizer in (word, char):
            # Only kept for introspection and can be huge: the pruned n-grams.
            vectorizer.stop_words_ = None
        return cls(config, word, char)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the stacked, per-block L2-normalised features of prepared texts."""
        return sp.hstack([self.word.transform(texts), self.char.transform(texts)], format="csr")

    @property
    def size(self) -> int:
        return len(self.word.vocabulary_) + len(self.char.vocabulary_)

    def vocabularies(self) -> tuple[list[str], list[str]]:
        """Return the word and character n-grams, each in feature order."""
        return (
            self.word.get_feature_names_out().tolist(),
            self.char.get_feature_names_out().tolist(),
        )

    def idf(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return np.asarray(self.word.idf_), np.asarray(self.char.idf_)

    @classmethod
    def restore(
        cls,
        config: FeatureConfig,
        *,
        vocabularies: tuple[list[str], list[str]],
        idf: tuple[NDArray[np.float64], NDArray[np.float64]],
    ) -> TextFeatures:
        """Rebuild fitted features from stored vocabularies and IDF weights (no pickle)."""
        word_terms, char_terms = vocabularies
        word = _word_vectorizer(config, vocabulary=word_terms)
        char = _char_vectorizer(config, vocabulary=char_terms)
        word.idf_, char.idf_ = idf
        return cls(config, word, char)


def _word_vectorizer(config: FeatureConfig, vocabulary: list[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=_WORD_PATTERN,
        ngram_range=config.word_ngrams,
        lowercase=False,
        sublinear_tf=True,
        max_features=None if vocabulary else MAX_WORD_FEATURES,
        vocabulary=_index(vocabulary),
        dtype=np.float32,
    )


def _char_vectorizer(config: FeatureConfig, vocabulary: list[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=config.char_ngrams,
        lowercase=False,
        sublinear_tf=True,
        max_features=None if vocabulary else MAX_CHAR_FEATURES,
        vocabulary=_index(vocabulary),
        dtype=np.float32,
    )


def _index(vocabulary: list[str] | None) -> dict[str, int] | None:
    return None if vocabulary is None else {term: i for i, term in enumerate(vocabulary)}
