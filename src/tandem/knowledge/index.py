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

import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from tandem.knowledge.answer_model import (
    COMPANION_FEATURES,
    FEATURES,
    LEXICAL_FEATURES,
    AnswerModel,
    load_answer_model,
)
from tandem.knowledge.followup_model import load_followup_model
from tandem.knowledge.lexical import Bm25, Coverage, Speller, TfidfLevel
from tandem.knowledge.passages import Passage, split_passages
from tandem.nlu.encoder import PairedEncoder, SentenceEncoder
from tandem.nlu.language import UNDETERMINED, identify
from tandem.nlu.normalize import unshout

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
    """The language most articles are in; bodies too short to tell ("Yes.") have no vote."""
    codes = Counter(identify(body[:500]).code for body in bodies[:50])
    codes.pop(UNDETERMINED, None)
    return codes.most_common(1)[0][0] if codes else UNDETERMINED


# Per ranking (words, BM25, meaning, title): the passages whose articles the answer model judges.
# The model was trained on the top 15 by words and by meaning (``answer_training.CANDIDATES``);
# the rest of a large knowledge base is never in the running, so it is not scored at all.
SHORTLIST = 30


def _best_article(values: NDArray[np.float32], article_of: NDArray[np.int64]) -> int:
    """The article holding the best value, or -1 when nothing scores."""
    if not values.size or float(values.max()) <= 0:
        return -1
    return int(article_of[int(np.argmax(values))])


def _compared(
    values: NDArray[np.float32], rows: NDArray[np.int64]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """For ``rows``: the gap to the question's best value, and whether the row holds it."""
    top = float(values.max())
    chosen = values[rows]
    best = (chosen >= top - 1e-6).astype(np.float32) if top > 0 else np.zeros_like(chosen)
    return chosen - top, best


def _top(values: NDArray[np.float32], count: int) -> NDArray[np.int64]:
    if values.size <= count:
        return np.arange(values.size, dtype=np.int64)
    top: NDArray[np.int64] = np.argpartition(-values, count)[:count].astype(np.int64)
    return top


@dataclass(frozen=True, slots=True)
class _Signals:
    """One question's cheap evidence for every passage of the index (article values spread)."""

    passage: NDArray[np.float32]
    article: NDArray[np.float32]
    title: NDArray[np.float32]
    blend: NDArray[np.float32]
    bm25: NDArray[np.float32]
    covered: NDArray[np.float32]
    unknown: float
    dense_passage: NDArray[np.float32] | None = None
    dense_title: NDArray[np.float32] | None = None
    dense_article: NDArray[np.float32] | None = None
    # The second encoder of a pair, read for a question in another language than the articles'.
    companion_passage: NDArray[np.float32] | None = None
    companion_title: NDArray[np.float32] | None = None
    foreign: bool = False


PASSAGE, QUERY = "passage", "query"  # how the encoder reads a text (E5 prefixes them apart)


def vector_key(kind: str, text: str) -> str:
    """The key a text's vector is stored under: SHA-256 of how it is read and what it says."""
    return hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()


def dense_texts(articles: Sequence[IndexedArticle]) -> dict[str, tuple[str, str]]:
    """Every text the index encodes for these articles, by key: (kind, text)."""
    texts: dict[str, tuple[str, str]] = {}
    for article in articles:
        if not article.passages:
            continue
        for passage in article.passages:
            document = _passage_document(passage)
            texts[vector_key(PASSAGE, document)] = (PASSAGE, document)
        texts[vector_key(QUERY, article.title)] = (QUERY, article.title)
    return texts


def encode_texts(encoder: SentenceEncoder, texts: Sequence[tuple[str, str]]) -> NDArray[np.float32]:
    """Encode (kind, text) pairs, passages as passages and titles as questions, in order."""
    vectors = np.zeros((len(texts), 0), dtype=np.float32)
    for kind, encode in ((PASSAGE, encoder.encode_passages), (QUERY, encoder.encode)):
        rows = [i for i, (k, _) in enumerate(texts) if k == kind]
        if not rows:
            continue
        encoded = encode([texts[i][1] for i in rows])
        if vectors.shape[1] == 0:
            vectors = np.zeros((len(texts), encoded.shape[1]), dtype=np.float32)
        vectors[rows] = encoded
    return vectors


class RetrievalIndex:
    """An immutable index over articles and their passages; rebuild when knowledge changes.

    ``stored`` holds vectors already encoded (by :func:`vector_key`), so a rebuild encodes only
    new text; what it had to encode is left in ``encoded`` for the caller to keep.
    """

    def __init__(
        self,
        articles: Sequence[IndexedArticle],
        *,
        encoder: SentenceEncoder | None = None,
        model: AnswerModel | None = None,
        stored: Mapping[str, NDArray[np.float32]] | None = None,
    ) -> None:
        self.articles = [a for a in articles if a.passages]
        self._encoder = encoder
        self._model = model
        self.encoded: dict[str, NDArray[np.float32]] = {}
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
        self._ends = np.append(self._starts[1:], len(self.passages))
        self.language = _majority_language([a.body for a in self.articles])
        passage_texts = [(PASSAGE, d) for d in documents]
        title_texts = [(QUERY, a.title) for a in self.articles]
        self._passage_keys = [vector_key(*t) for t in passage_texts]
        self._title_keys = [vector_key(*t) for t in title_texts]
        # A pair's vectors hold both encoders' halves: split here, each half a cosine of its own.
        # Each half is kept as a matrix of its own (contiguous, so a search reads only what it
        # needs): the second encoder's is read for questions in another language only.
        split = encoder.dims[0] if isinstance(encoder, PairedEncoder) else None
        self._companion_passages: NDArray[np.float32] | None = None
        self._companion_titles: NDArray[np.float32] | None = None
        if encoder is not None:
            found = stored or {}
            passages = self._vectors(encoder, self._passage_keys, passage_texts, found)
            titles = self._vectors(encoder, self._title_keys, title_texts, found)
            if split is not None:
                self._companion_passages = np.ascontiguousarray(passages[:, split:])
                self._companion_titles = np.ascontiguousarray(titles[:, split:])
                passages = np.ascontiguousarray(passages[:, :split])
                titles = np.ascontiguousarray(titles[:, :split])
            self._dense_passages, self._dense_titles = passages, titles

    def vectors(self) -> dict[str, NDArray[np.float32]]:
        """Every vector of the index by key: rows of its matrices (views, not copies)."""
        if self._encoder is None or not self.passages:
            return {}
        passages, titles = self._dense_passages, self._dense_titles
        if self._companion_passages is not None and self._companion_titles is not None:
            passages = np.hstack([passages, self._companion_passages])
            titles = np.hstack([titles, self._companion_titles])
        found = dict(zip(self._passage_keys, passages, strict=True))
        found.update(zip(self._title_keys, titles, strict=True))
        return found

    def _vectors(
        self,
        encoder: SentenceEncoder,
        keys: Sequence[str],
        texts: Sequence[tuple[str, str]],
        stored: Mapping[str, NDArray[np.float32]],
    ) -> NDArray[np.float32]:
        """The vectors of ``texts``: stored ones as they are, the others encoded now."""
        missing = {
            k: text
            for k, text in zip(keys, texts, strict=True)
            if k not in stored and k not in self.encoded
        }
        if missing:
            encoded = encode_texts(encoder, list(missing.values()))
            self.encoded.update(zip(missing, encoded, strict=True))
        rows = [stored[k] if k in stored else self.encoded[k] for k in keys]
        return np.stack(rows).astype(np.float32, copy=False)

    def __len__(self) -> int:
        return len(self.passages)

    @property
    def dense(self) -> bool:
        """Whether the index has the encoder's evidence."""
        return self._encoder is not None

    def _foreign(self, query: str) -> bool:
        """Tell whether the question is in another language than the articles'."""
        language = identify(query).code
        return UNDETERMINED not in (language, self.language) and language != self.language

    def _signals(self, query: str) -> _Signals:
        article_of = self._article_of
        corrected = " ".join([query, *self._speller.corrections(query)])
        passage = self._passage_level.similarity(corrected)
        article = self._bodies.similarity(corrected)[article_of]
        title = self._titles.similarity(corrected)[article_of]
        blend = PASSAGE_WEIGHT * passage + ARTICLE_WEIGHT * article + TITLE_WEIGHT * title
        covered, unknown = self._coverage.covered(corrected)
        signals = _Signals(
            passage,
            article,
            title,
            blend,
            self._bm25.relative(corrected),
            covered[article_of],
            unknown,
        )
        if self._encoder is None:
            return signals
        question = self._encoder.encode([unshout(query)])[0]  # read for its words, not its case
        split = self._dense_passages.shape[1]
        foreign = self._foreign(query)
        dense_passage = self._dense_passages @ question[:split]
        dense_title = self._dense_titles @ question[:split]
        companions = self._companion_passages, self._companion_titles
        if foreign and companions[0] is not None and companions[1] is not None:
            signals = replace(
                signals,
                companion_passage=companions[0] @ question[split:],
                companion_title=(companions[1] @ question[split:])[article_of],
            )
        return replace(
            signals,
            foreign=foreign,
            dense_passage=dense_passage,
            dense_title=dense_title[article_of],
            dense_article=np.maximum.reduceat(dense_passage, self._starts)[article_of],
        )

    def _shortlist(self, signals: _Signals) -> NDArray[np.int64]:
        """Every passage of the articles that rank near the top by any kind of evidence."""
        rankings = [signals.blend, signals.passage, signals.bm25]
        if signals.dense_passage is not None and signals.dense_title is not None:
            rankings += [signals.dense_passage, signals.dense_title]
        if signals.companion_passage is not None and signals.companion_title is not None:
            rankings += [signals.companion_passage, signals.companion_title]
        top = np.concatenate([_top(values, SHORTLIST) for values in rankings])
        articles = np.unique(self._article_of[top])
        return np.concatenate(
            [np.arange(self._starts[a], self._ends[a], dtype=np.int64) for a in articles]
        )

    def evidence(self, query: str) -> NDArray[np.float32]:
        """Return one row of evidence per passage, columns as in ``answer_model.FEATURES``.

        Without an encoder the dense columns are left out (``LEXICAL_FEATURES`` only).
        """
        return self._evidence(query, self._signals(query), np.arange(len(self.passages)))

    def _evidence(
        self, query: str, signals: _Signals, rows: NDArray[np.int64]
    ) -> NDArray[np.float32]:
        article_of = self._article_of
        chosen = article_of[rows]
        top = float(signals.blend.max())
        blend = signals.blend[rows]
        size = len(rows)

        def best_article(values: NDArray[np.float32]) -> NDArray[np.float32]:
            best: NDArray[np.float32] = (chosen == _best_article(values, article_of)).astype(
                np.float32
            )
            return best

        columns = [
            signals.passage[rows],
            signals.article[rows],
            signals.title[rows],
            blend / top if top > 0 else blend,
            signals.bm25[rows],
            signals.covered[rows],
            np.full(size, signals.unknown, dtype=np.float32),
            best_article(signals.blend),
            np.full(size, math.log1p(len(query.split())), dtype=np.float32),
            *_compared(signals.passage, rows),
            *_compared(signals.article, rows),
            *_compared(signals.title, rows),
            *_compared(signals.covered, rows),
        ]
        dense, title, article = signals.dense_passage, signals.dense_title, signals.dense_article
        if dense is not None and title is not None and article is not None:
            foreign = 1.0 if signals.foreign else 0.0
            columns += [
                dense[rows],
                title[rows],
                article[rows],
                dense[rows] - float(dense.max()),
                best_article(dense + 1.0),
                np.full(size, foreign, dtype=np.float32),
                foreign * dense[rows],
                foreign * title[rows],
                *_compared(title, rows),
                *_compared(article, rows),
                (title[rows] >= TITLE_ECHO).astype(np.float32),
                *self._companion(signals, rows),
            ]
        matrix = np.stack(columns, axis=1).astype(np.float32)
        expected = FEATURES if self._encoder is not None else LEXICAL_FEATURES
        assert matrix.shape[1] == len(expected)
        return matrix

    def _companion(self, signals: _Signals, rows: NDArray[np.int64]) -> list[NDArray[np.float32]]:
        """The second encoder's columns (``COMPANION_FEATURES``) for a question in another
        language than the articles'; zeros for one in theirs, or without a second encoder.

        USE places a question close to the article in another language that answers it; in
        the articles' own language its similarity follows the question's form ("do you sell
        parrots?" against "Do you ship?") and made the answer model answer what it should not.
        """
        passage, title = signals.companion_passage, signals.companion_title
        if passage is None or title is None:  # not read: no pair, or not a foreign question
            return [np.zeros(len(rows), dtype=np.float32)] * len(COMPANION_FEATURES)
        article = np.maximum.reduceat(passage, self._starts)[self._article_of]
        return [
            passage[rows],
            title[rows],
            article[rows],
            *_compared(passage, rows),
            *_compared(title, rows),
        ]

    def depends_on_previous(self, query: str) -> bool | None:
        """Whether ``query`` means something only with the question before it ("and to
        Serbia?"), by the follow-up model; None when this index reads words only, or through
        another encoder than the model's."""
        if self._encoder is None:
            return None
        model = load_followup_model()
        if model.encoder != self._encoder.name:
            return None
        vector = self._encoder.encode([unshout(query)])[0]  # as ``search`` reads it: cached
        return model.probability(vector, query) >= model.threshold

    def search(self, query: str, *, limit: int = 10) -> list[Hit]:
        """Return the passages most likely to answer ``query``, best first.

        The model judges articles (does this article answer the question?), so every passage
        scores its article's best probability; within an article the passage that matches
        the question most closely comes first.
        """
        if not self.passages or not query.strip():
            return []
        model = self._model or load_answer_model()
        signals = self._signals(query)
        rows = self._shortlist(signals)
        matrix = self._evidence(query, signals, rows)
        probability = model.probability(matrix, dense=self.dense)
        # Rows hold whole articles, in order: each row takes its article's best probability.
        groups = np.flatnonzero(np.diff(self._article_of[rows], prepend=-1))
        article = np.repeat(
            np.maximum.reduceat(probability, groups), np.diff(groups, append=len(rows))
        )
        closeness = matrix[:, FEATURES.index("passage_tfidf")]
        if self.dense:
            closeness = closeness + matrix[:, FEATURES.index("passage_dense")]
        order = np.lexsort((-closeness, -article))[:limit]
        return [Hit(self.passages[rows[i]], float(article[i])) for i in order]
