"""Public pages: the landing page, the customer chat and the help centre."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markdown_it import MarkdownIt
from markupsafe import Markup

from tandem.channels.widget import service as widget_service
from tandem.conversations.schemas import CustomerIdentity
from tandem.conversations.service import identity_payload
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import NotFoundError
from tandem.core.security import sign
from tandem.knowledge import service as knowledge_service
from tandem.web.templating import settle_customer_language, templates

router = APIRouter(include_in_schema=False)
# ?lang=de: the page's language for customers (else their browser's, else the company's).
Lang = Annotated[str | None, Query(max_length=35)]

# Raw HTML in articles is escaped, and markdown-it refuses javascript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, settings: SettingsDep, lang: Lang = None) -> HTMLResponse:
    settle_customer_language(request, settings, lang)
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
    lang: Lang = None,
) -> HTMLResponse:
    """The customer chat; with demo identities on, ``?as=EMAIL`` chats as that customer."""
    settle_customer_language(request, settings, lang)
    identity: dict[str, str] | None = None
    if as_email and settings.demo_identities and settings.identity_secret:
        claimed = CustomerIdentity(email=as_email)
        identity = {
            "email": as_email,
            "signature": sign(settings.identity_secret, identity_payload(claimed)),
        }
    return templates.TemplateResponse(
        request,
        "chat.html",
        {"company": settings.company_name, "identity": identity, "parent_origin": None},
    )


DEMO_SHOP_CUSTOMER = "vera.vip@example.com"  # the demo VIP (demo/seed.py)


@router.get("/demo/shop", response_class=HTMLResponse)
async def demo_shop(request: Request, settings: SettingsDep) -> HTMLResponse:
    """A sample page of the shop's own site with the widget, to open from another origin.

    Only in the demo (demo identities on): it signs a VIP customer's identity as a shop would.
    """
    if not settings.demo_identities or not settings.identity_secret:
        raise NotFoundError("The sample shop page is part of `tandem demo` only.")
    tandem_url = settings.base_url()
    email = DEMO_SHOP_CUSTOMER
    signature = sign(settings.identity_secret, identity_payload(CustomerIdentity(email=email)))
    response = templates.TemplateResponse(
        request,
        "demo_shop.html",
        {
            "company": settings.company_name,
            "tandem_url": tandem_url,
            "shop_origin": f"{request.url.scheme}://{request.url.netloc}",
            "widget_key": settings.widget_key,
            "snippet": widget_service.snippet(settings),
            "customer_email": email,
            "signature": signature,
        },
    )
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' {tandem_url}; frame-src {tandem_url}; "
        "style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
    )
    return response


@router.get("/kb", response_class=HTMLResponse)
async def help_centre(
    request: Request, session: SessionDep, settings: SettingsDep, lang: Lang = None
) -> HTMLResponse:
    settle_customer_language(request, settings, lang)
    articles = await knowledge_service.list_articles(session)
    return templates.TemplateResponse(
        request, "kb_index.html", {"articles": articles, "company": settings.company_name}
    )


@router.get("/kb/{slug}", response_class=HTMLResponse)
async def article(
    slug: str, request: Request, session: SessionDep, settings: SettingsDep, lang: Lang = None
) -> HTMLResponse:
    settle_customer_language(request, settings, lang)
    found = await knowledge_service.get_article(session, slug)
    body = Markup(_markdown.render(found.body))  # noqa: S704 - markdown-it output, html disabled
    return templates.TemplateResponse(
        request,
        "kb_article.html",
        {"article": found, "body": body, "company": settings.company_name},
    )
