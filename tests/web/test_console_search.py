"""The console's search page: a labelled box, results with what an agent needs to pick one,
older results a page at a time, mistakes said on the page, and a GET that never writes."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qsl

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.conversations.models import Author
from tandem.conversations.search_text import MAX_QUERY_CHARS
from tandem.core.time import utc_now
from tandem.escalation.reasons import ReasonCode
from tandem.routing import inbox, labels
from tandem.routing.models import Handoff
from tests.channels.helpers import AgentClient, count_queries, log_in_agent
from tests.factories import create_conversation, create_customer

HTML = {"Accept": "text/html"}
START = utc_now() - timedelta(hours=3)


@pytest.fixture
async def agent(client: httpx.AsyncClient, session: AsyncSession) -> AgentClient:
    return await log_in_agent(client, session)


async def page(client: httpx.AsyncClient, **params: str | int) -> str:
    response = await client.get("/console/search", params=params, headers=HTML)
    assert response.status_code == 200, response.text
    return response.text


def results_of(html: str) -> list[str]:
    """The conversation ids listed as results, in order."""
    return re.findall(r'<li class="search-hit" data-conversation="([^"]+)"', html)


def item_of(html: str, conversation_id: str) -> str:
    """The markup of one result."""
    items = [i for i in html.split('<li class="search-hit"') if f'="{conversation_id}"' in i]
    assert len(items) == 1, html
    return items[0]


async def test_the_console_leads_to_search_by_its_nav_the_queue_box_and_the_slash_key(
    client: httpx.AsyncClient, agent: AgentClient
) -> None:
    queue = (await client.get("/console", headers=HTML)).text
    assert '<a href="/console/search">Search</a>' in queue
    box = re.search(r'<form[^>]*action="/console/search"[^>]*>.*?</form>', queue, re.S)
    assert box, queue
    assert '<label for="queue-search">' in box.group(0)
    assert re.search(r'<input id="queue-search"[^>]*name="q"', box.group(0))
    assert 'aria-keyshortcuts="/"' in box.group(0)
    assert f'maxlength="{MAX_QUERY_CHARS}"' in box.group(0)
    assert "<dt><kbd>/</kbd></dt><dd>Search conversations and customers</dd>" in queue


async def test_an_empty_search_says_what_can_be_searched(
    client: httpx.AsyncClient, agent: AgentClient
) -> None:
    html = await page(client)
    assert len(re.findall(r"<h1\b", html)) == 1
    assert '<form class="search-form" method="get" action="/console/search" role="search"' in html
    assert '<label for="search-q">' in html
    assert re.search(r'<input id="search-q" type="search" name="q" value=""[^>]*autofocus', html)
    assert 'data-testid="search-empty"' in html
    assert "a customer's name or e-mail address" in html
    assert "search-results" not in html
    assert 'data-testid="search-empty"' in await page(client, q=' " " ')


async def test_results_show_status_queue_labels_activity_and_the_matching_words_marked(
    client: httpx.AsyncClient, session: AsyncSession, agent: AgentClient
) -> None:
    vera = await create_customer(session, name="Vera Lind", email="vera@example.com")
    shelf = await create_conversation(
        session,
        vera,
        (Author.CUSTOMER, "My walnut shelf <b>arrived</b> cracked"),
        (Author.BOT, "I am sorry the shelf is damaged"),
        last_active=START,
    )
    lamp = await create_conversation(
        session,
        vera,
        (Author.CUSTOMER, "The lamp is cracked"),
        last_active=START + timedelta(minutes=1),
    )
    session.add(Handoff(conversation_id=shelf.id, queue="returns", reason=ReasonCode.LOOP))
    await labels.add(session, by=agent.user, conversation_id=shelf.id, label="damaged")
    await session.flush()

    html = await page(client, q="Cracked")
    assert results_of(html) == [lamp.id, shelf.id]  # newest activity first
    item = item_of(html, shelf.id)
    assert f'<a href="/console/conversations/{shelf.id}">Conversation with Vera Lind</a>' in item
    assert "With the bot" in item
    assert "Queue: returns" in item
    assert '<li class="label-chip">damaged</li>' in item
    assert f'<time datetime="{START.isoformat()}"' in item
    snippet = re.search(r'<p class="snippet".*?</p>', item, re.S)
    assert snippet, item
    assert "<mark>cracked</mark>" in snippet.group(0)
    assert "&lt;b&gt;arrived&lt;/b&gt;" in snippet.group(0)  # what customers write is text
    assert "Queue: none" in item_of(html, lamp.id)

    customers = re.search(
        r'data-testid="search-customers".*?</section>', await page(client, q="LIND"), re.S
    )
    assert customers, html
    assert "Vera <mark>Lind</mark>" in customers.group(0)
    assert f'<a href="/console/search?customer={vera.id}">2 conversations</a>' in customers.group(0)


async def test_a_customers_link_lists_their_conversations(
    client: httpx.AsyncClient, session: AsyncSession, agent: AgentClient
) -> None:
    vera = await create_customer(session, name="Vera Lind", email="vera@example.com")
    otto = await create_customer(session, name="Otto", email="otto@example.com")
    veras = await create_conversation(session, vera, (Author.CUSTOMER, "hello"))
    await create_conversation(session, otto, (Author.CUSTOMER, "hello"))
    html = await page(client, customer=vera.id)
    assert results_of(html) == [veras.id]
    assert "Only the conversations of <strong>Vera Lind</strong> (vera@example.com)" in html
    assert f'<input type="hidden" name="customer" value="{vera.id}">' in html
    assert results_of(await page(client, customer=vera.id, q="hello")) == [veras.id]
    missing = await client.get("/console/search", params={"customer": otto.id + 99}, headers=HTML)
    assert missing.status_code == 404


async def test_nothing_found_says_so_with_the_words_looked_for(
    client: httpx.AsyncClient, agent: AgentClient
) -> None:
    html = await page(client, q='walnut "50% off"')
    assert 'data-testid="search-nothing"' in html
    assert "No conversation holds <q>walnut</q>, <q>50% off</q>" in html


@pytest.mark.parametrize(
    ("params", "says"),
    [
        pytest.param({"q": "x" * (MAX_QUERY_CHARS + 1)}, "at most 200 characters", id="too-long"),
        pytest.param({"q": " ".join("abcdefghi")}, "at most 8 words", id="too-many-words"),
        pytest.param({"q": "refund", "cursor": "nonsense"}, "start again", id="bad-cursor"),
    ],
)
async def test_a_search_that_cannot_run_says_why_beside_the_box(
    client: httpx.AsyncClient, agent: AgentClient, params: dict[str, str], says: str
) -> None:
    response = await client.get("/console/search", params=params, headers=HTML)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert re.search(
        rf'<p id="search-error" class="search-error" role="alert">[^<]*{says}', response.text
    )
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="search-hint search-error"' in response.text


async def test_older_results_come_a_page_at_a_time_each_once(
    client: httpx.AsyncClient, session: AsyncSession, agent: AgentClient
) -> None:
    someone = await create_customer(session, name="Vera")
    made = [
        await create_conversation(
            session,
            someone,
            (Author.CUSTOMER, f"refund {n}"),
            last_active=START + timedelta(minutes=n),
        )
        for n in range(inbox.PAGE + 3)
    ]
    newest_first = [c.id for c in reversed(made)]
    html = await page(client, q="refund")
    assert results_of(html) == newest_first[: inbox.PAGE]
    more = re.search(
        r'<a href="/console/search\?([^"]+)" hx-get="/console/search/results\?\1"', html
    )
    assert more, html
    address = unescape(more.group(1))
    fragment = await client.get(f"/console/search/results?{address}", headers=HTML)
    assert fragment.status_code == 200
    assert results_of(fragment.text) == newest_first[inbox.PAGE :]
    assert "<h1" not in fragment.text
    assert '<p id="search-more" class="search-more" hx-swap-oob="true">' in fragment.text
    assert "No older results." in fragment.text
    whole_page = await page(client, **dict(parse_qsl(address)))
    assert results_of(whole_page) == newest_first[inbox.PAGE :]  # the link works without htmx


async def test_a_search_only_reads_and_costs_the_same_for_few_or_many_results(
    client: httpx.AsyncClient, session: AsyncSession, agent: AgentClient
) -> None:
    someone = await create_customer(session, name="Vera")
    for n in range(12):
        word = "shelf" if n < 2 else "lamp"
        await create_conversation(session, someone, (Author.CUSTOMER, f"my {word} {n}"))
    await page(client, q="lamp")  # the login is marked seen; from now on, the page only reads
    costs = []
    for query in ("shelf", "lamp"):
        with count_queries(session) as statements:
            html = await page(client, q=query)
        assert len(results_of(html)) == (2 if query == "shelf" else 10)
        writes = [s for s in statements if not s.lstrip().upper().startswith("SELECT")]
        assert writes == []
        costs.append(len(statements))
    assert costs[0] == costs[1]


@pytest.mark.parametrize("role", list(Role))
async def test_every_role_of_the_team_searches(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await log_in_agent(client, session, role=role)
    for path in ("/console/search", "/console/search/results"):
        response = await client.get(path, params={"q": "refund"}, headers=HTML)
        assert response.status_code == 200, (path, response.text)


async def test_search_is_for_the_team_only(client: httpx.AsyncClient) -> None:
    page_ = await client.get("/console/search", params={"q": "x"}, headers=HTML)
    assert page_.status_code == 303
    assert page_.headers["location"] == "/console/login?next=/console/search"
    more = await client.get("/console/search/results", params={"q": "x"})
    assert more.status_code == 401
