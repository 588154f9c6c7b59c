"""Knowledge articles for integrations: read them all; write and delete through the same
golden-question check as an import."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import CurrentAgent
from tandem.core.deps import SessionDep, SettingsDep
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.models import Article
from tandem.learning import service as learning_service

router = APIRouter(prefix="/api/v1/articles", tags=["integrations"])
Slug = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[a-z0-9-]+$")]
AllowRegressions = Annotated[
    bool,
    Query(description="Publish even if a golden question's right answer would turn wrong."),
]


class ArticleSummary(BaseModel):
    slug: str
    title: str
    tags: list[str]
    url: str
    last_reviewed: date | None
    updated_at: datetime


class ArticleRead(ArticleSummary):
    body: str
    source: str | None


class ArticleWrite(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=100_000, description="Markdown.")
    tags: list[Annotated[str, Field(max_length=60)]] = Field(default=[], max_length=30)


def _summary(article: Article) -> ArticleSummary:
    return ArticleSummary(
        slug=article.slug,
        title=article.title,
        tags=list(article.tags),
        url=knowledge_service.article_url(article.slug),
        last_reviewed=article.last_reviewed,
        updated_at=article.updated_at,
    )


def _read(article: Article) -> ArticleRead:
    return ArticleRead(
        **_summary(article).model_dump(), body=article.body, source=article.source_path
    )


@router.get("")
async def list_articles(agent: CurrentAgent, session: SessionDep) -> list[ArticleSummary]:
    return [_summary(a) for a in await knowledge_service.list_articles(session)]


@router.get("/{slug}")
async def get_article(slug: Slug, agent: CurrentAgent, session: SessionDep) -> ArticleRead:
    return _read(await knowledge_service.get_article(session, slug))


async def _check(
    session: AsyncSession, settings: SettingsDep, allow_regressions: bool
) -> knowledge_service.RegressionCheck | None:
    check = await learning_service.regression_check(
        session, settings.knowledge_golden_path, threshold=settings.answer_threshold
    )
    return dataclasses.replace(check, allow_regressions=allow_regressions) if check else None


@router.put("/{slug}", responses={201: {"description": "A new article"}})
async def put_article(
    slug: Slug,
    body: ArticleWrite,
    agent: CurrentAgent,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    allow_regressions: AllowRegressions = False,
) -> ArticleRead:
    """Create (201) or replace (200) an article. With golden questions (the file at
    TANDEM_KNOWLEDGE_GOLDEN_PATH, or accepted from flagged answers), they are replayed first:
    409 lists the answers that would turn wrong."""
    require_role(agent, SUPERVISORS, doing="change knowledge articles")
    article, created = await knowledge_service.do_put_article(
        session,
        slug=slug,
        title=body.title,
        body=body.body,
        tags=body.tags,
        check=await _check(session, settings, allow_regressions),
    )
    await audit.record(
        session, "article.created" if created else "article.updated", actor=agent, target=slug
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return _read(article)


@router.delete("/{slug}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_article(
    slug: Slug,
    agent: CurrentAgent,
    session: SessionDep,
    settings: SettingsDep,
    allow_regressions: AllowRegressions = False,
) -> None:
    """Delete an article sent through the API (after the golden questions, as an import)."""
    require_role(agent, SUPERVISORS, doing="change knowledge articles")
    await knowledge_service.do_delete_article(
        session, slug, check=await _check(session, settings, allow_regressions)
    )
    await audit.record(session, "article.deleted", actor=agent, target=slug)
