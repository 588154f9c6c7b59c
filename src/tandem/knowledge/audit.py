"""Audit the knowledge base: gather articles and bot usage, then run the pure detectors.

With ``cache_seconds`` a process keeps its findings while nothing they come from has changed:
the articles (as read, every time), and the conversations (a fingerprint: the newest message
and event, and the latest erasure, which rewrites text without adding rows).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import repository as conversation_repository
from tandem.core.kept import Kept
from tandem.core.time import utc_now
from tandem.knowledge import repository
from tandem.knowledge.quality.findings import AuditArticle, Finding
from tandem.knowledge.quality.report import audit
from tandem.knowledge.quality.usage import ArticleUsage

USAGE_WINDOW_DAYS = 90
# Handoffs that mean "the bot had no answer", as opposed to a customer asking for a person.
GAP_REASONS = ("low_confidence", "repeated_failure")
MIN_QUESTION_WORDS = 3  # shorter customer messages are greetings, not questions
_findings: Kept[list[Finding]] = Kept(8)  # for as many databases and settings


async def audit_knowledge(
    session: AsyncSession,
    *,
    max_age_days: int,
    window_days: int = USAGE_WINDOW_DAYS,
    now: datetime | None = None,
    cache_seconds: float = 0.0,
) -> list[Finding]:
    """Return every finding about the knowledge base and the last ``window_days`` of use;
    with ``cache_seconds``, findings that recent are reused if nothing changed since."""
    now = now or utc_now()
    articles = [
        AuditArticle(a.slug, a.title, a.body, a.last_reviewed)
        for a in await repository.list_articles(session)
    ]
    if cache_seconds <= 0:
        return await _audit(session, articles, max_age_days, window_days, now)
    key = (
        str(session.get_bind().engine.url),
        max_age_days,
        window_days,
        now.date(),
        tuple(articles),
        await conversation_repository.activity_version(session),
    )
    findings = _findings.get(key, max_age=cache_seconds)
    if findings is None:
        findings = await _audit(session, articles, max_age_days, window_days, now)
        _findings.put(key, findings)
    return list(findings)


async def _audit(
    session: AsyncSession,
    articles: list[AuditArticle],
    max_age_days: int,
    window_days: int,
    now: datetime,
) -> list[Finding]:
    since = now - timedelta(days=window_days)
    usage, unanswered = await _usage(session, since), await _unanswered(session, since)
    return await asyncio.to_thread(  # comparing texts is CPU work: off the event loop
        audit,
        articles,
        usage=usage,
        unanswered=unanswered,
        today=now.date(),
        max_age_days=max_age_days,
    )


async def _usage(session: AsyncSession, since: datetime) -> list[ArticleUsage]:
    answers: dict[str, int] = {}
    handed_off: dict[str, int] = {}
    for slug, then_handed_off in await repository.answers_since(session, since):
        answers[slug] = answers.get(slug, 0) + 1
        if then_handed_off:
            handed_off[slug] = handed_off.get(slug, 0) + 1
    return [ArticleUsage(slug, count, handed_off.get(slug, 0)) for slug, count in answers.items()]


async def _unanswered(session: AsyncSession, since: datetime) -> list[str]:
    """Return one question per conversation where the bot had no answer."""
    moments: dict[str, datetime] = {}
    misses = [
        *await repository.not_sure_since(session, since),
        *await repository.handoffs_since(session, since, reasons=GAP_REASONS),
    ]
    for conversation_id, at in misses:
        moments[conversation_id] = min(at, moments.get(conversation_id, at))
    messages = await repository.customer_messages(session, list(moments))
    questions = (
        question_before(messages.get(conversation_id, []), at)
        for conversation_id, at in moments.items()
    )
    return sorted(q for q in questions if q)


def question_before(messages: list[tuple[str, datetime]], moment: datetime) -> str | None:
    """Pick the customer's question behind the bot's first miss in a conversation.

    The first substantial message before the miss: later ones are often reactions ("That's
    not what I asked.") rather than the question itself.
    """
    before = [text for text, at in messages if at <= moment]
    substantial = [text for text in before if len(text.split()) >= MIN_QUESTION_WORDS]
    chosen = substantial or before
    return chosen[0] if chosen else None
