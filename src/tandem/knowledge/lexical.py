"""Word-level evidence that a text matches a question: TF-IDF, BM25, coverage, spelling.

Pure: every function here works on strings and arrays; nothing reads the database or disk.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import snowballstemmer
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from scipy.sparse import csc_matrix
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfVectorizer,
    strip_accents_unicode,
)

CHAR_SHARE = 0.35  # of each level's similarity; the rest is word similarity
CHAR_GRAMS = (3, 5)  # shortest and longest character n-gram
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


@lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    # A knowledge base uses a few thousand distinct words; stemming each once, not once per
    # occurrence, makes indexing 10,000 articles take seconds instead of minutes.
    stem: str = _stemmer().stemWord(word)
    return stem


def analyse(text: str) -> list[str]:
    """Lower-case, tokenise, drop stop words and stem."""
    return [_stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS]


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


@lru_cache(maxsize=500_000)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    grams: list[str] = []
    for n in range(CHAR_GRAMS[0], CHAR_GRAMS[1] + 1):
        grams.extend(padded[i : i + n] for i in range(max(len(padded) - n + 1, 1)))
        if len(padded) <= n:  # a short word counts once, as sklearn's "char_wb" does
            break
    return tuple(grams)


def char_grams(text: str) -> list[str]:
    """Character 3- to 5-grams within words, accents stripped (sklearn's "char_wb").

    Built from each distinct word once: words repeat, and n-grams are most of the index's
    build time.
    """
    words = strip_accents_unicode(text.lower()).split()
    return [gram for word in words for gram in _word_grams(word)]


class TfidfLevel:
    """Word and character TF-IDF over one kind of document; similarities in [0, 1]."""

    def __init__(self, documents: list[str]) -> None:
        words = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, dtype=np.float32)
        chars = TfidfVectorizer(analyzer=char_grams, sublinear_tf=True, dtype=np.float32)
        self._words = _QueryTerms(words, csc_matrix(words.fit_transform(documents)))
        self._chars = _QueryTerms(chars, csc_matrix(chars.fit_transform(documents)))

    def similarity(self, query: str) -> NDArray[np.float32]:
        words = self._words.similarity(query)
        chars = self._chars.similarity(content_words(query))
        result: NDArray[np.float32] = (1 - CHAR_SHARE) * words + CHAR_SHARE * chars
        return result


class _QueryTerms:
    """One question's cosine with every document of a fitted TF-IDF vectoriser.

    Weighs the question as ``TfidfVectorizer.transform`` does (sublinear counts of the known
    terms, times their IDF, L2-normalised; equal to it, tested) without its per-call checks and
    sparse-matrix building, and reads only the question's terms' columns of the term-major
    document matrix: a few hundred microseconds less per level, six levels per question.
    """

    def __init__(self, vectorizer: TfidfVectorizer, documents: csc_matrix) -> None:
        self._analyse = vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._documents = documents
        self._size = documents.shape[0]

    def similarity(self, query: str) -> NDArray[np.float32]:
        vocabulary = self._vocabulary
        counts = Counter(vocabulary[t] for t in self._analyse(query) if t in vocabulary)
        if not counts:
            return np.zeros(self._size, dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (1.0 + np.log(tf)) * self._idf[columns]
        weights /= np.sqrt(weights @ weights)
        # Term-major (CSC): only the question's columns are read.
        scores = self._documents[:, columns] @ weights.astype(np.float32)
        return np.asarray(scores, dtype=np.float32).ravel()


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
        presence = csc_matrix(self._vectorizer.fit_transform(documents))
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
