"""Near-duplicate articles: TF-IDF cosine similarity of their stemmed words."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from tandem.knowledge.lexical import analyse
from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind

# On the demo knowledge base distinct articles on neighbouring topics (refund times and a
# missing refund) stay below 0.6; a rewording of the same article scores above 0.8.
DUPLICATE_SIMILARITY = 0.75


def similarities(texts: Sequence[str]) -> NDArray[np.float64]:
    """Return the cosine similarity matrix of ``texts`` (unit-length TF-IDF rows)."""
    vectors = TfidfVectorizer(analyzer=analyse, sublinear_tf=True).fit_transform(texts)
    matrix: NDArray[np.float64] = (vectors @ vectors.T).toarray()
    return matrix


def find_duplicates(
    articles: Sequence[AuditArticle], *, threshold: float = DUPLICATE_SIMILARITY
) -> list[Finding]:
    """Report each pair of articles whose text is at least ``threshold`` similar."""
    if len(articles) < 2:
        return []
    matrix = similarities([f"{a.title}\n{a.body}" for a in articles])
    findings: list[Finding] = []
    rows, columns = np.triu_indices(len(articles), k=1)
    for i, j in zip(rows.tolist(), columns.tolist(), strict=True):
        score = float(matrix[i, j])
        if score >= threshold:
            first, second = articles[i], articles[j]
            findings.append(
                Finding(
                    FindingKind.DUPLICATE,
                    (first.title, second.title),
                    f"'{first.title}' and '{second.title}' are {score:.0%} similar.",
                    "Merge them into one article and delete the other, so the bot and "
                    "customers find one answer.",
                )
            )
    return findings
