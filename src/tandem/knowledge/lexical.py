"""Word-level evidence that a text matches a question: TF-IDF, BM25, coverage, spelling.

Pure: every function here works on strings and arrays; nothing reads the database or disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import snowballstemmer
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

CHAR_SHARE = 0.35  # of each level's similarity; the rest is word similarity
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Negations and question words change what is asked; keep them.
_KEEP = {"no", "not", "never", "nothing", "cannot", "can", "when", "how", "where", "why", "what"}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS - _KEEP) | {"hi", "hello", "please", "thanks", "thank"}
# Words that say what kind of question it is, not what it is about: they count for matching
# but not for coverage (a question about garden sheds is not covered by "how" and "can").
_FUNCTION = frozenset(_KEEP)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def analyse(text: str) -> list[str]:
    """Lower-case, tokenise, drop stop words and stem."""
    tokens = [t for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS]
    return list(_stemmer().stemWords(tokens))


def content_words(text: str) -> str:
    """Return the words of ``text`` without stop words (the text itself when none are left)."""
    return " ".join(t for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS) or text


def _typo_budget(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Speller:
    """Correct query words that the knowledge base never uses to the closest word it does."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._words = sorted({t for d in documents for t in _TOKEN.findall(d.lower())})
        self._known = frozenset(self._words)

    def corrections(self, query: str) -> list[str]:
        fixed: list[str] = []
        for token in _TOKEN.findall(query.lower()):
            budget = _typo_budget(token)
            if token in self._known or token in STOP_WORDS or budget == 0 or token.isdigit():
                continue
            match = process.extractOne(
                token, self._words, scorer=DamerauLevenshtein.distance, score_cutoff=budget
            )
            if match is not None:
                fixed.append(match[0])
        return fixed


class TfidfLevel:
    """Word and character TF-IDF over one kind of document; similarities in [0, 1]."""

    def __init__(self, documents: list[str]) -> None:
        self._words = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, dtype=np.float32)
        self._chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            strip_accents="unicode",
            dtype=np.float32,
        )
        self._word_matrix: csr_matrix = self._words.fit_transform(documents)
        self._char_matrix: csr_matrix = self._chars.fit_transform(documents)

    def similarity(self, query: str) -> NDArray[np.float32]:
        words = (self._word_matrix @ self._words.transform([query]).T).toarray().ravel()
        chars = self._char_matrix @ self._chars.transform([content_words(query)]).T
        result: NDArray[np.float32] = (
            1 - CHAR_SHARE
        ) * words + CHAR_SHARE * chars.toarray().ravel()
        return result


class Bm25:
    """Okapi BM25 over documents, scaled so the best document of a query scores 1."""

    def __init__(self, documents: list[str]) -> None:
        self._model = bm25s.BM25()
        self._model.index([analyse(d) or ["\x00empty"] for d in documents], show_progress=False)
        self._size = len(documents)

    def relative(self, query: str) -> NDArray[np.float32]:
        tokens = analyse(query)
        if not tokens:
            return np.zeros(self._size, dtype=np.float32)
        scores = np.asarray(self._model.get_scores(tokens), dtype=np.float32)
        top = float(scores.max()) if scores.size else 0.0
        return scores / top if top > 0 else scores


class Coverage:
    """How much of a question's content a document speaks about, weighted by rarity.

    A question's stems that the knowledge base never uses count against every document with
    the highest weight: "Do you sell garden sheds?" is not covered by an article about bikes
    that shares "sell".
    """

    def __init__(self, documents: list[str]) -> None:
        self._vectorizer = CountVectorizer(analyzer=analyse, binary=True, dtype=np.float32)
        presence: csr_matrix = self._vectorizer.fit_transform(documents)
        self._presence = presence
        frequency = np.asarray(presence.sum(axis=0)).ravel()
        self._idf = np.log((1 + len(documents)) / (1 + frequency)) + 1.0
        self._unknown_weight = float(np.log(1 + len(documents)) + 1.0)
        self._vocabulary: dict[str, int] = self._vectorizer.vocabulary_
        self._size = len(documents)

    def covered(self, query: str) -> tuple[NDArray[np.float32], float]:
        """Return each document's covered share of the question, and the unknown share."""
        stems = {s for s in analyse(query) if s not in _FUNCTION}
        if not stems:
            return np.zeros(self._size, dtype=np.float32), 0.0
        known = [self._vocabulary[s] for s in stems if s in self._vocabulary]
        unknown = len(stems) - len(known)
        weights = self._idf[known]
        total = float(weights.sum()) + unknown * self._unknown_weight
        if not known:
            return np.zeros(self._size, dtype=np.float32), 1.0
        hit = self._presence[:, known] @ weights
        share = np.asarray(hit, dtype=np.float32).ravel() / total
        return share, unknown * self._unknown_weight / total
