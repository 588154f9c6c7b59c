"""Stale articles: a review date too long ago, or past dates still written as the future."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from tandem.knowledge.passages import plain_text
from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH = "|".join(_MONTHS)
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))\b",
    re.IGNORECASE,
)
# Words that present a date as still to come: "from 1 March 2025 we will ...", "order by ...".
_FUTURE = re.compile(
    r"\b(?:will|from|starting|until|till|by|before|upcoming|coming|next|deadline|last day)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def mentioned_dates(text: str) -> list[date]:
    """Return the calendar dates written in ``text`` (impossible dates are skipped)."""
    found: list[date] = []
    for match in _DATE.finditer(text):
        if match.group("y3"):
            parts = (match.group("y3"), match.group("m3"), match.group("d3"))
            year, month, day = (int(p) for p in parts)
        else:
            year = int(match.group("y1") or match.group("y2"))
            month = _MONTHS[(match.group("m1") or match.group("m2")).lower()]
            day = int(match.group("d1") or match.group("d2"))
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return found


def past_dates_as_future(body: str, *, today: date) -> list[str]:
    """Return the sentences that speak of a date before ``today`` as if it were to come."""
    return [
        sentence.strip().lstrip("-*• ")
        for sentence in _SENTENCE.split(plain_text(body))
        if _FUTURE.search(sentence) and any(d < today for d in mentioned_dates(sentence))
    ]


def find_stale(
    articles: Sequence[AuditArticle], *, today: date, max_age_days: int
) -> list[Finding]:
    """Report articles not reviewed within ``max_age_days`` or announcing past dates."""
    findings: list[Finding] = []
    oldest = today - timedelta(days=max_age_days)
    for article in articles:
        reasons: list[str] = []
        if article.last_reviewed is not None and article.last_reviewed < oldest:
            reasons.append(
                f"last reviewed on {article.last_reviewed.isoformat()}, more than "
                f"{max_age_days} days ago"
            )
        reasons += [
            f'says "{s}" but that date has passed'
            for s in past_dates_as_future(article.body, today=today)
        ]
        if reasons:
            findings.append(
                Finding(
                    FindingKind.STALE,
                    (article.title,),
                    f"'{article.title}' is {'; '.join(reasons)}.",
                    "Review the article: update or remove out-of-date facts and dates, then "
                    "set last_reviewed to today (or delete the article if it no longer applies).",
                )
            )
    return findings
