"""Run every detector over plain data and order the findings by kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tandem.knowledge.quality.contradictions import find_contradictions
from tandem.knowledge.quality.duplicates import find_duplicates
from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind
from tandem.knowledge.quality.instructions import find_model_instructions
from tandem.knowledge.quality.links import find_broken_links
from tandem.knowledge.quality.staleness import find_stale
from tandem.knowledge.quality.usage import ArticleUsage, find_gaps, find_unused

_ORDER = list(FindingKind)


def audit(
    articles: Sequence[AuditArticle],
    *,
    usage: Sequence[ArticleUsage],
    unanswered: Sequence[str],
    today: date,
    max_age_days: int,
) -> list[Finding]:
    """Return every finding about ``articles``, grouped in the order of FindingKind."""
    findings = [
        *find_model_instructions(articles),
        *find_duplicates(articles),
        *find_contradictions(articles),
        *find_stale(articles, today=today, max_age_days=max_age_days),
        *find_broken_links(articles),
        *find_unused(articles, usage),
        *find_gaps(unanswered),
    ]
    return sorted(findings, key=lambda f: _ORDER.index(f.kind))
