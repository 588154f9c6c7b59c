"""A retrieval index: gather evidence for every passage, then ask the answer model.

For each passage the index gathers lexical evidence (TF-IDF at passage, article and title
level, BM25, how much of the question the article covers, typos forgiven by a speller) and,
with the multilingual sentence encoder, dense evidence (the meaning of the question against
the passage, its article and its title, in any supported language). The answer model
(:mod:`tandem.knowledge.answer_model`) turns that evidence into the probability that the
passage's article answers the question; that probability is the hit's score, so thresholds
mean the same on every knowledge base.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tandem.knowledge.answer_model import (
    FEATURES,
    LEXICAL_FEATURES,
    AnswerModel,
    load_answer_model,
)
from tandem.knowledge.lexical import Bm25, Coverage, Speller, TfidfLevel
from tandem.knowledge.passages import Passage, split_passages
from tandem.nlu.encoder import SentenceEncoder
from tandem.nlu.language import UNDETERMINED, identify

PASSAGE_WEIGHT, ARTICLE_WEIGHT, TITLE_WEIGHT = 0.5, 0.3, 0.2
# A question this close in meaning to an article's title restates it ("How long do refunds
# take?" to the article of that title), in any language.
TITLE_ECHO = 0.9


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    slug: str
    title: str
    tags: tuple[str, ...]
    body: str
    passages: tuple[Passage, ...]


def indexed(slug: str, title: str, tags: Sequence[str], body: str) -> IndexedArticle:
    """Return an article ready for the index, split into its passages."""
    passages = tuple(split_passages(slug=slug, title=title, body=body))
    return IndexedArticle(slug=slug, title=title, tags=tuple(tags), body=body, passages=passages)


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float  # the probability that the passage's article answers the question


def _passage_document(passage: Passage) -> str:
    # The opening paragraph answers the title's question (how articles are written), so it
    # carries the title; later paragraphs carry their own heading only, so a question that
    # matches the title picks the opening paragraph rather than a side note.
    lead = passage.title if passage.position == 0 else ""
    return f"{lead}\n{passage.heading or ''}\n{passage.text}"


def _majority_language(bodies: Sequence[str]) -> str:
    codes = Counter(identify(body[:500]).code for body in bodies[:50])
    return codes.most_common(1)[0][0] if codes else UNDETERMINED


def _is_best(values: NDArray[np.float32], article_of: NDArray[np.int64]) -> NDArray[np.float32]:
    """1 for every passage of the article that holds the best value, else 0."""
    if not values.size or float(values.max()) <= 0:
        return np.zeros_like(values)
    best: NDArray[np.float32] = (article_of == article_of[int(np.argmax(values))]).astype(
        np.float32
    )
    return best


def _compared(values: NDArray[np.float32]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """The gap to the question's best value, and whether the passage holds that value."""
    top = float(values.max())
    best = (values >= top - 1e-6).astype(np.float32) if top > 0 else np.zeros_like(values)
    return values - top, best


class RetrievalIndex:
    """An immutable index over articles and their passages; rebuild when knowledge changes."""

    def __init__(
        self,
        articles: Sequence[IndexedArticle],
        *,
        encoder: SentenceEncoder | None = None,
        model: AnswerModel | None = None,
    ) -> None:
        self.articles = [a for a in articles if a.passages]
        self._encoder = encoder
        self._model = model
        self.passages = [p for a in self.articles for p in a.passages]
        self._article_of = np.array(
            [i for i, a in enumerate(self.articles) for _ in a.passages], dtype=np.int64
        )
        if not self.passages:
            return
        documents = [_passage_document(p) for p in self.passages]
        article_texts = [f"{a.title}\n{' '.join(a.tags)}\n{a.body}" for a in self.articles]
        self._passage_level = TfidfLevel(documents)
        self._bodies = TfidfLevel(article_texts)
        self._titles = TfidfLevel([f"{a.title} {' '.join(a.tags)}" for a in self.articles])
        self._bm25 = Bm25(documents)
        self._coverage = Coverage(article_texts)
        self._speller = Speller(article_texts)
        self._starts = np.searchsorted(self._article_of, np.arange(len(self.articles)))
        self.language = _majority_language([a.body for a in self.articles])
        if encoder is not None:
            self._dense_passages = encoder.encode_passages(documents)
            self._dense_titles = encoder.encode([a.title for a in self.articles])

    def __len__(self) -> int:
        return len(self.passages)

    @property
    def dense(self) -> bool:
        """Whether the index has the encoder's evidence."""
        return self._encoder is not None

    def _foreign(self, query: str) -> bool:
        """Tell whether the question is in another language than the articles'."""
        language = identify(query).code
        return language not in (UNDETERMINED, self.language)

    def evidence(self, query: str) -> NDArray[np.float32]:
        """Return one row of evidence per passage, columns as in ``answer_model.FEATURES``.

        Without an encoder the dense columns are left out (``LEXICAL_FEATURES`` only).
        """
        article_of = self._article_of
        corrected = " ".join([query, *self._speller.corrections(query)])
        passage = self._passage_level.similarity(corrected)
        article = self._bodies.similarity(corrected)[article_of]
        title = self._titles.similarity(corrected)[article_of]
        blend = PASSAGE_WEIGHT * passage + ARTICLE_WEIGHT * article + TITLE_WEIGHT * title
        top = float(blend.max())
        covered, unknown = self._coverage.covered(corrected)
        size = len(self.passages)
        columns = [
            passage,
            article,
            title,
            blend / top if top > 0 else blend,
            self._bm25.relative(corrected),
            covered[article_of],
            np.full(size, unknown, dtype=np.float32),
            _is_best(blend, article_of),
            np.full(size, math.log1p(len(query.split())), dtype=np.float32),
            *_compared(passage),
            *_compared(article),
            *_compared(title),
            *_compared(covered[article_of]),
        ]
        if self._encoder is not None:
            question = self._encoder.encode([query])[0]
            dense_passage = self._dense_passages @ question
            dense_title = (self._dense_titles @ question)[article_of]
            dense_article = np.maximum.reduceat(dense_passage, self._starts)[article_of]
            foreign = 1.0 if self._foreign(query) else 0.0
            columns += [
                dense_passage,
                dense_title,
                dense_article,
                dense_passage - float(dense_passage.max()),
                _is_best(dense_passage + 1.0, article_of),
                np.full(size, foreign, dtype=np.float32),
                foreign * dense_passage,
                foreign * dense_title,
                *_compared(dense_title),
                *_compared(dense_article),
                (dense_title >= TITLE_ECHO).astype(np.float32),
            ]
        matrix = np.stack(columns, axis=1).astype(np.float32)
        expected = FEATURES if self._encoder is not None else LEXICAL_FEATURES
        assert matrix.shape[1] == len(expected)
        return matrix

    def search(self, query: str, *, limit: int = 10) -> list[Hit]:
        """Return the passages most likely to answer ``query``, best first.

        The model judges articles (does this article answer the question?), so every passage
        scores its article's best probability; within an article the passage that matches
        the question most closely comes first.
        """
        if not self.passages or not query.strip():
            return []
        model = self._model or load_answer_model()
        matrix = self.evidence(query)
        probability = model.probability(matrix, dense=self.dense)
        article = np.maximum.reduceat(probability, self._starts)[self._article_of]
        closeness = matrix[:, FEATURES.index("passage_tfidf")]
        if self.dense:
            closeness = closeness + matrix[:, FEATURES.index("passage_dense")]
        order = np.lexsort((-closeness, -article))[:limit]
        return [Hit(self.passages[i], float(article[i])) for i in order]
