"""TF-IDF similarity between short customer texts: rank past cases, group questions. Pure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def _matrix(texts: Sequence[str]) -> np.ndarray | None:
    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
    try:
        # Rows are L2-normalised, so a dot product is the cosine similarity.
        return vectorizer.fit_transform(texts).toarray()  # type: ignore[no-any-return]
    except ValueError:  # nothing but stop words: nothing to compare
        return None


def rank_similar(
    query: str, documents: Sequence[str], *, limit: int, min_score: float
) -> list[tuple[int, float]]:
    """Return (index, cosine) of the documents most similar to ``query``, best first."""
    if not documents:
        return []
    matrix = _matrix([query, *documents])
    if matrix is None:
        return []
    scores = matrix[1:] @ matrix[0]
    order = np.argsort(-scores, kind="stable")
    return [(int(i), float(scores[i])) for i in order[:limit] if scores[i] >= min_score]


def cluster(texts: Sequence[str], *, min_score: float) -> list[list[int]]:
    """Group texts greedily: each joins the first group whose first text it resembles.

    Groups come out largest first (ties: first seen first), members in input order.
    """
    matrix = _matrix(texts) if texts else None
    if matrix is None:
        return [[i] for i in range(len(texts))]
    groups: list[list[int]] = []
    for i in range(len(texts)):
        for group in groups:
            if float(matrix[group[0]] @ matrix[i]) >= min_score:
                group.append(i)
                break
        else:
            groups.append([i])
    return sorted(groups, key=len, reverse=True)
