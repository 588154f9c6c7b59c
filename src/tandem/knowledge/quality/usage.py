"""Usage: articles the bot never answers with or that rarely resolve, and coverage gaps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tandem.knowledge.quality.duplicates import similarities
from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind

MIN_ANSWERS_FOR_UNUSED = 50  # below this many bot answers in total, "never used" means little
MIN_ANSWERS_FOR_RATE = 5
POOR_RESOLUTION = 0.5  # share of answers followed by a handoff
GAP_SIMILARITY = 0.35
MAX_GAPS = 10
MAX_EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class ArticleUsage:
    slug: str
    answers: int  # bot answers that cited the article
    handed_off: int  # of those, how many conversations later went to a person


def find_unused(
    articles: Sequence[AuditArticle],
    usage: Sequence[ArticleUsage],
    *,
    min_answers: int | None = None,
) -> list[Finding]:
    """Report articles never used in answers, and those whose answers often end in a handoff.

    "Never used" is only reported once the bot gave ``min_answers`` answers in total.
    """
    min_answers = MIN_ANSWERS_FOR_UNUSED if min_answers is None else min_answers
    by_slug = {u.slug: u for u in usage}
    total = sum(u.answers for u in usage)
    findings: list[Finding] = []
    for article in articles:
        used = by_slug.get(article.slug)
        if used is None or used.answers == 0:
            if total >= min_answers:
                findings.append(
                    Finding(
                        FindingKind.UNUSED,
                        (article.title,),
                        f"'{article.title}' was never used in {total} bot answers.",
                        "Check that its title asks the question customers ask; merge it into "
                        "a related article or delete it if nobody needs it.",
                    )
                )
            continue
        rate = used.handed_off / used.answers
        if used.answers >= MIN_ANSWERS_FOR_RATE and rate >= POOR_RESOLUTION:
            findings.append(
                Finding(
                    FindingKind.UNUSED,
                    (article.title,),
                    f"'{article.title}' answered {used.answers} times, but {rate:.0%} of those "
                    "conversations were still handed to a person.",
                    "Read those conversations and add what the customers still needed to the "
                    "article (steps, exceptions, amounts).",
                )
            )
    return findings


def cluster_questions(
    questions: Sequence[str], *, threshold: float = GAP_SIMILARITY
) -> list[list[str]]:
    """Group similar questions, largest group first (greedy, by similarity to a group's seed)."""
    texts = [q for q in questions if q.strip()]
    if not texts:
        return []
    matrix = similarities(texts) if len(texts) > 1 else np.ones((1, 1))
    adjacent = matrix >= threshold
    np.fill_diagonal(adjacent, True)
    unassigned = np.ones(len(texts), dtype=bool)
    neighbours = adjacent.sum(axis=1)  # among the unassigned questions, kept up to date
    clusters: list[list[str]] = []
    while unassigned.any():
        # Seed with the question that has the most neighbours, so clusters form around cores
        # (the first such question on a tie).
        candidates = np.flatnonzero(unassigned)
        seed = candidates[int(np.argmax(neighbours[candidates]))]
        members = np.flatnonzero(unassigned & adjacent[seed])
        clusters.append([texts[j] for j in members])
        unassigned[members] = False
        neighbours -= adjacent[:, members].sum(axis=1)
    return sorted(clusters, key=len, reverse=True)


def find_gaps(questions: Sequence[str], *, limit: int = MAX_GAPS) -> list[Finding]:
    """Report the most frequent kinds of questions the bot could not answer."""
    findings: list[Finding] = []
    for cluster in cluster_questions(questions)[:limit]:
        examples = "; ".join(f'"{q}"' for q in list(dict.fromkeys(cluster))[:MAX_EXAMPLES])
        findings.append(
            Finding(
                FindingKind.GAP,
                (),
                f"{len(cluster)} unanswered question(s) like {examples}.",
                "Write an article that answers these questions (or add the answer to the "
                "closest article), then run `tandem kb test`.",
            )
        )
    return findings
