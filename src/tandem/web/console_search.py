"""The console's search: conversations and customers by words, newest activity first.

The page is a plain GET form, so a search has an address to share or go back to; "Show older
results" adds the next page in place (htmx) and is a link to it without JavaScript.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tandem.auth.deps import AgentSession, CurrentAgent
from tandem.conversations.search_text import MAX_QUERY_CHARS, highlight
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.routing import inbox
from tandem.web.templating import templates

router = APIRouter(prefix="/console", include_in_schema=False)
# Longer than anyone types; below this the search itself says what to shorten.
SearchQuery = Annotated[str | None, Query(max_length=2000)]
CustomerFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
Cursor = Annotated[str | None, Query(max_length=400)]


def _address(q: str | None, customer: int | None, cursor: str | None) -> str:
    params = {"q": q or "", "customer": customer or "", "cursor": cursor or ""}
    return urlencode({name: value for name, value in params.items() if value})


def _context(q: str | None, customer: int | None, results: inbox.Results) -> dict[str, object]:
    more = None
    if results.next_cursor is not None:
        more = _address(q, customer, results.next_cursor)
    return {
        "q": q or "",
        "results": results,
        "more": more,
        "now": utc_now(),
        "highlight": highlight,
    }


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    q: SearchQuery = None,
    customer: CustomerFilter = None,
    cursor: Cursor = None,
) -> HTMLResponse:
    """Search conversations and customers; an empty query shows what can be searched."""
    agent, auth = pair
    context: dict[str, object] = {
        "agent": agent,
        "csrf_token": auth.csrf_token,
        "max_chars": MAX_QUERY_CHARS,
    }
    try:
        results = await inbox.search_inbox(
            session, agent, query=q, customer_id=customer, cursor=cursor
        )
    except InvalidInputError as error:  # said on the page, beside the box to correct
        context.update(q=q or "", error=error.message, results=None)
        return templates.TemplateResponse(
            request, "console/search.html", context, status_code=error.status_code
        )
    context.update(_context(q, customer, results))
    return templates.TemplateResponse(request, "console/search.html", context)


@router.get("/search/results", response_class=HTMLResponse)
async def more_results(
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    q: SearchQuery = None,
    customer: CustomerFilter = None,
    cursor: Cursor = None,
) -> HTMLResponse:
    """The next page of results, as list items to add, and the link to the page after."""
    results = await inbox.search_inbox(session, agent, query=q, customer_id=customer, cursor=cursor)
    context = _context(q, customer, results)
    return templates.TemplateResponse(request, "console/_search_more.html", context)
