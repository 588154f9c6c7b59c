"""Queries for knowledge articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
