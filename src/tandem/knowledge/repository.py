"""Queries for knowledge articles."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import Author, ConversationEvent, EventKind, Message
from tandem.knowledge.models import Article


async def list_articles(session: AsyncSession) -> Sequence[Article]:
    return (await session.execute(select(Article).order_by(Article.slug))).scalars().all()


async def get_by_slug(session: AsyncSession, slug: str) -> Article | None:
    query = select(Article).where(Article.slug == slug)
    return (await session.execute(query)).scalar_one_or_none()


async def revision(session: AsyncSession) -> tuple[int, int, datetime | None]:
    """Return a value that changes whenever an article is added, changed or removed."""
    query = select(
        func.count(Article.id), func.coalesce(func.max(Article.id), 0), func.max(Article.updated_at)
    )
    count, max_id, updated = (await session.execute(query)).one()
    return int(count), int(max_id), updated


async def by_slugs(session: AsyncSession, slugs: Sequence[str]) -> dict[str, Article]:
    if not slugs:
        return {}
    query = select(Article).where(Article.slug.in_(slugs))
    return {article.slug: article for article in (await session.execute(query)).scalars()}


async def delete_articles(session: AsyncSession, articles: Sequence[Article]) -> None:
    for article in articles:
        await session.delete(article)


async def under_source(session: AsyncSession, prefix: str) -> Sequence[Article]:
    """Return the articles imported from a source whose path or URL starts with ``prefix``."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(Article).where(Article.source_path.like(f"{escaped}%", escape="\\"))
    return (await session.execute(query)).scalars().all()


async def answers_since(session: AsyncSession, since: datetime) -> Sequence[tuple[str, bool]]:
    """Return (cited slug, handed off later) for each source of each bot answer since ``since``.

    "Handed off later": the conversation was handed to a person at or after the answer.
    Only the answer's sources are read, not the rest of its data.
    """
    handed_off_later = (
        select(ConversationEvent.id)
        .where(
            ConversationEvent.conversation_id == Message.conversation_id,
            ConversationEvent.kind == EventKind.HANDOFF,
            ConversationEvent.created_at >= Message.created_at,
        )
        .exists()
    )
    query = select(Message.data["sources"], handed_off_later).where(
        Message.author == Author.BOT,
        Message.data["kind"].as_string() == "answer",
        Message.created_at >= since,
    )
    found: list[tuple[str, bool]] = []
    for sources, handed_off in (await session.execute(query)).all():
        # A written answer may cite several articles; each counts as used.
        slugs = {s.get("slug") for s in sources or [] if isinstance(s, dict)}
        found += [(slug, bool(handed_off)) for slug in slugs if isinstance(slug, str)]
    return found


async def handoffs_since(
    session: AsyncSession, since: datetime, *, reasons: Sequence[str] | None = None
) -> Sequence[tuple[str, datetime]]:
    """Return (conversation id, time) of every handoff since ``since``, optionally by reason."""
    query = select(ConversationEvent.conversation_id, ConversationEvent.created_at).where(
        ConversationEvent.kind == EventKind.HANDOFF, ConversationEvent.created_at >= since
    )
    if reasons is not None:
        query = query.where(ConversationEvent.data["reason"].as_string().in_(reasons))
    return [(c, t) for c, t in (await session.execute(query)).all()]


async def not_sure_since(session: AsyncSession, since: datetime) -> Sequence[tuple[str, datetime]]:
    """Return (conversation id, time) of every "not sure" bot reply since ``since``."""
    query = select(Message.conversation_id, Message.created_at).where(
        Message.author == Author.BOT,
        Message.data["kind"].as_string() == "not_sure",
        Message.created_at >= since,
    )
    return [(c, t) for c, t in (await session.execute(query)).all()]


async def customer_messages(
    session: AsyncSession, conversation_ids: Collection[str]
) -> dict[str, list[tuple[str, datetime]]]:
    """Return each conversation's customer messages as (text, time), in order."""
    if not conversation_ids:
        return {}
    query = (
        select(Message.conversation_id, Message.text, Message.created_at)
        .where(Message.conversation_id.in_(conversation_ids), Message.author == Author.CUSTOMER)
        .order_by(Message.conversation_id, Message.seq)
    )
    found: dict[str, list[tuple[str, datetime]]] = {}
    for conversation_id, text, created_at in (await session.execute(query)).all():
        found.setdefault(conversation_id, []).append((text, created_at))
    return found
