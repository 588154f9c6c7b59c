"""Broken links: internal help-centre links to articles that do not exist."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind

_KB_LINK = re.compile(r"(?<![\w/.])/kb/([a-z0-9]+(?:-[a-z0-9]+)*)")


def internal_links(body: str) -> list[str]:
    """Return the slugs of ``/kb/<slug>`` links in a Markdown body, in order, once each."""
    return list(dict.fromkeys(_KB_LINK.findall(body)))


def find_broken_links(articles: Sequence[AuditArticle]) -> list[Finding]:
    """Report every article that links to a help-centre article that does not exist."""
    known = {a.slug for a in articles}
    findings: list[Finding] = []
    for article in articles:
        missing = [slug for slug in internal_links(article.body) if slug not in known]
        if missing:
            listed = ", ".join(f"/kb/{slug}" for slug in missing)
            findings.append(
                Finding(
                    FindingKind.BROKEN_LINK,
                    (article.title,),
                    f"'{article.title}' links to {listed}, which does not exist.",
                    "Point the link at an existing article, write the missing article, "
                    "or remove the link.",
                )
            )
    return findings
