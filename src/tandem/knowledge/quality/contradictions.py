"""Contradictions: the same topic stated with different amounts, durations or yes/no answers.

Each sentence that states a quantity ("returns are free within 30 days") becomes a claim: its
topic (the stemmed content words around the number) and its values by unit. Two claims from
different articles contradict when their topics overlap strongly, they use the same unit and
they share no value. Opening "Yes, ..." and "No, ..." answers to near-identical titles do too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.knowledge.lexical import analyse
from tandem.knowledge.passages import plain_text
from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind

TOPIC_OVERLAP = 0.6  # Jaccard similarity of two claims' topic words
MIN_TOPIC_WORDS = 3
_UNITS = {
    "business day": "business day",
    "working day": "business day",
    "day": "day",
    "hour": "hour",
    "week": "week",
    "month": "month",
    "year": "year",
    "minute": "minute",
    "eur": "EUR",
    "euro": "EUR",
    "€": "EUR",
    "%": "%",
    "percent": "%",
}
_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT = (
    r"business days?|working days?|days?|hours?|weeks?|months?|years?|minutes?"
    r"|eur|euros?|€|%|percent"
)
_QUANTITY = re.compile(
    rf"(?:€\s*(?P<pre>{_NUMBER}))"
    rf"|(?:(?P<num>{_NUMBER})\s*(?:[–-]\s*{_NUMBER}\s*)?(?P<unit>{_UNIT})(?![a-z]))",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_UNIT_WORDS = set(analyse(" ".join(_UNITS) + " days hours weeks months years euros business"))


@dataclass(frozen=True, slots=True)
class Claim:
    sentence: str
    topic: frozenset[str]
    values: dict[str, frozenset[str]]  # unit -> the values stated


def _unit(raw: str) -> str:
    word = raw.lower()
    word = word[:-1] if word.endswith("s") and word not in ("%",) else word
    return _UNITS.get(word, word)


def extract_claims(body: str) -> list[Claim]:
    """Return the sentences of ``body`` that state a quantity, with their topic and values."""
    claims: list[Claim] = []
    for sentence in _SENTENCE.split(plain_text(body)):
        values: dict[str, set[str]] = {}
        for match in _QUANTITY.finditer(sentence):
            if match.group("pre"):
                number, unit = match.group("pre"), "EUR"
            else:
                number, unit = match.group("num"), _unit(match.group("unit"))
            values.setdefault(unit, set()).add(number.replace(",", "."))
        if not values:
            continue
        topic = frozenset(w for w in analyse(sentence) if not w.isdigit() and w not in _UNIT_WORDS)
        if len(topic) >= MIN_TOPIC_WORDS:
            frozen = {unit: frozenset(v) for unit, v in values.items()}
            claims.append(Claim(sentence.strip(), topic, frozen))
    return claims


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)


def conflict(first: Claim, second: Claim, *, overlap: float = TOPIC_OVERLAP) -> str | None:
    """Return the unit on which two claims about the same topic disagree, if they do."""
    if _overlap(first.topic, second.topic) < overlap:
        return None
    for unit, values in first.values.items():
        other = second.values.get(unit)
        if other is not None and not values & other:
            return unit
    return None


def _answer(body: str) -> str | None:
    first = plain_text(body).split(None, 1)[0].strip(",.!").lower() if body.strip() else ""
    return first if first in ("yes", "no") else None


@dataclass(frozen=True, slots=True)
class _Read:
    """What the detector needs of one article, read once (not once per pair)."""

    article: AuditArticle
    claims: list[Claim]
    answer: str | None
    title_words: frozenset[str]


def find_contradictions(articles: Sequence[AuditArticle]) -> list[Finding]:
    """Report each pair of articles that state different facts about the same topic."""
    read = [
        _Read(a, extract_claims(a.body), _answer(a.body), frozenset(analyse(a.title)))
        for a in articles
    ]
    findings: list[Finding] = []
    for i, first in enumerate(read):
        for second in read[i + 1 :]:
            detail = _quantity_conflict(first.claims, second.claims) or _answer_conflict(
                first, second
            )
            if detail:
                one, other = first.article.title, second.article.title
                findings.append(
                    Finding(
                        FindingKind.CONTRADICTION,
                        (one, other),
                        f"'{one}' and '{other}' disagree: {detail}",
                        "Check which is right, correct the other article, and keep the fact "
                        "in one place that the other links to.",
                    )
                )
    return findings


def _quantity_conflict(first: Sequence[Claim], second: Sequence[Claim]) -> str | None:
    for a in first:
        for b in second:
            if conflict(a, b):
                return f'"{a.sentence}" versus "{b.sentence}"'
    return None


def _answer_conflict(first: _Read, second: _Read) -> str | None:
    if {first.answer, second.answer} != {"yes", "no"}:
        return None
    if _overlap(first.title_words, second.title_words) < TOPIC_OVERLAP:
        return None
    return f"one answers yes and the other no to '{first.article.title}'."
