"""A retrieval index: lexical TF-IDF at three levels, and dense embeddings across languages.

Lexically, a passage's score blends how well the passage itself, its whole article, and the
article's title and tags match the question: short paragraphs borrow their topic from the
article, and titles are what customers' questions most often echo. Word features carry
meaning; character n-grams (within words) forgive typos. A question in another language than
the articles' cannot match their words, so the multilingual sentence encoder compares its
meaning with each passage and its article's title instead. Scores are in [0, 1], so
thresholds carry over between knowledge bases. (Blending the encoder into every question
found more paraphrases but answered more questions from the wrong article on a blind set.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from tandem.knowledge.passages import Passage
from tandem.knowledge.synonyms import expand
from tandem.nlu.encoder import SentenceEncoder
from tandem.nlu.language import UNDETERMINED, identify

PASSAGE_WEIGHT, ARTICLE_WEIGHT, TITLE_WEIGHT = 0.5, 0.3, 0.2
# Chosen on the demo's golden questions and 28 questions in eight other languages.
# Cosine similarities of the encoder below this say nothing (unrelated texts land around 0.1
# to 0.3); from here to DENSE_FULL they are stretched onto [0, 1].
DENSE_FLOOR, DENSE_FULL = 0.2, 0.75
DENSE_ALONE = 0.4
CHAR_SHARE = 0.35  # of each level's similarity; the rest is word similarity
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Negations and question words change what is asked; keep them.
_KEEP = {"no", "not", "never", "nothing", "cannot", "can", "when", "how", "where", "why", "what"}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS - _KEEP) | {"hi", "hello", "please", "thanks", "thank"}


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def analyse(text: str) -> list[str]:
    """Lower-case, tokenise, drop stop words and stem."""
    tokens = [t for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS]
    return list(_stemmer().stemWords(tokens))


def _content_words(text: str) -> str:
    return " ".join(t for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS) or text


def _typo_budget(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class _Speller:
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


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    slug: str
    title: str
    tags: tuple[str, ...]
    body: str
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float


def _passage_document(passage: Passage) -> str:
    # The opening paragraph answers the title's question (how articles are written), so it
    # carries the title; later paragraphs carry their own heading only, so a question that
    # matches the title picks the opening paragraph rather than a side note.
    lead = passage.title if passage.position == 0 else ""
    return f"{lead}\n{passage.heading or ''}\n{passage.text}"


class _Level:
    """Word and character TF-IDF over one kind of document."""

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
        chars = self._char_matrix @ self._chars.transform([_content_words(query)]).T
        result: NDArray[np.float32] = (
            1 - CHAR_SHARE
        ) * words + CHAR_SHARE * chars.toarray().ravel()
        return result


def _majority_language(bodies: Sequence[str]) -> str:
    codes = Counter(identify(body[:500]).code for body in bodies[:50])
    return codes.most_common(1)[0][0] if codes else UNDETERMINED


class RetrievalIndex:
    """An immutable index over articles and their passages; rebuild when knowledge changes."""

    def __init__(
        self, articles: Sequence[IndexedArticle], *, encoder: SentenceEncoder | None = None
    ) -> None:
        self.articles = [a for a in articles if a.passages]
        self._encoder = encoder
        self.passages = [p for a in self.articles for p in a.passages]
        self._article_of = np.array(
            [i for i, a in enumerate(self.articles) for _ in a.passages], dtype=np.int64
        )
        if not self.passages:
            return
        self._passages = _Level([_passage_document(p) for p in self.passages])
        self._bodies = _Level([f"{a.title}\n{' '.join(a.tags)}\n{a.body}" for a in self.articles])
        self._titles = _Level([f"{a.title} {' '.join(a.tags)}" for a in self.articles])
        self._speller = _Speller([f"{a.title} {' '.join(a.tags)} {a.body}" for a in self.articles])
        self.language = _majority_language([a.body for a in self.articles])
        if encoder is not None:
            self._dense_passages = encoder.encode([_passage_document(p) for p in self.passages])
            self._dense_titles = encoder.encode([a.title for a in self.articles])

    def __len__(self) -> int:
        return len(self.passages)

    def _foreign(self, query: str) -> bool:
        """Tell whether the question is in another language than the articles'."""
        language = identify(query).code
        return language not in (UNDETERMINED, self.language)

    def _dense(self, query: str) -> NDArray[np.float32]:
        assert self._encoder is not None
        question = self._encoder.encode([query])[0]
        cosine = np.maximum(
            self._dense_passages @ question, (self._dense_titles @ question)[self._article_of]
        )
        stretched = (cosine - DENSE_FLOOR) / (DENSE_FULL - DENSE_FLOOR)
        return np.asarray(np.clip(stretched, 0.0, 1.0), dtype=np.float32)

    def search(self, query: str, *, limit: int = 10) -> list[Hit]:
        """Return the best passages for ``query``, best first."""
        if not self.passages or not query.strip():
            return []
        corrected = " ".join([query, *self._speller.corrections(query)])
        expanded = expand(corrected)
        scores = (
            PASSAGE_WEIGHT * self._passages.similarity(expanded)
            + ARTICLE_WEIGHT * self._bodies.similarity(expanded)[self._article_of]
            + TITLE_WEIGHT * self._titles.similarity(expanded)[self._article_of]
        )
        if self._encoder is not None and self._foreign(query):
            # Words cannot match across languages: the meaning, scaled down, stands in for them.
            scores = np.maximum(scores, DENSE_ALONE * self._dense(query))
        order = np.argsort(-scores, kind="stable")[:limit]
        return [Hit(self.passages[i], float(scores[i])) for i in order if scores[i] > 0]
