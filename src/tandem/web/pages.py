"""Public pages: the landing page, the customer chat and the help centre."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markdown_it import MarkdownIt
from markupsafe import Markup

from tandem.conversations.schemas import CustomerIdentity
from tandem.conversations.service import identity_payload
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.security import sign
from tandem.knowledge import service as knowledge_service
from tandem.web.templating import templates

router = APIRouter(include_in_schema=False)

# Raw HTML in articles is escaped, and markdown-it refuses javascript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, settings: SettingsDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "index.html", {"company": settings.company_name})


@router.get("/favicon.ico")
async def favicon() -> RedirectResponse:
    """Browsers and crawlers that ask for the old icon path get the SVG one (not a 404)."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/chat", response_class=HTMLResponse)
async def chat(
    request: Request,
    settings: SettingsDep,
    as_email: Annotated[str | None, Query(alias="as", max_length=320)] = None,
) -> HTMLResponse:
    """The customer chat; with demo identities on, ``?as=EMAIL`` chats as that customer."""
    identity: dict[str, str] | None = None
    if as_email and settings.demo_identities and settings.identity_secret:
        claimed = CustomerIdentity(email=as_email)
        identity = {
            "email": as_email,
            "signature": sign(settings.identity_secret, identity_payload(claimed)),
        }
    return templates.TemplateResponse(
        request, "chat.html", {"company": settings.company_name, "identity": identity}
    )


@router.get("/kb", response_class=HTMLResponse)
async def help_centre(request: Request, session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    articles = await knowledge_service.list_articles(session)
    return templates.TemplateResponse(
        request, "kb_index.html", {"articles": articles, "company": settings.company_name}
    )


@router.get("/kb/{slug}", response_class=HTMLResponse)
async def article(
    slug: str, request: Request, session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    found = await knowledge_service.get_article(session, slug)
    body = Markup(_markdown.render(found.body))  # noqa: S704 - markdown-it output, html disabled
    return templates.TemplateResponse(
        request,
        "kb_article.html",
        {"article": found, "body": body, "company": settings.company_name},
    )
