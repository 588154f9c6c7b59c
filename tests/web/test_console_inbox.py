"""The inbox pane over HTTP: the lists beside the queue and each conversation, their filters
(refused with a 422 that says what to change), unread counts and the read mark."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.channels.helpers import AgentClient, Chat, log_in_agent, start_chat
from tests.factories import import_demo_knowledge, install_policy, policy_document

HTML = {"Accept": "text/html"}


@pytest.fixture(autouse=True)
async def setup(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="pull"))


async def waiting_chat(client: httpx.AsyncClient, text: str) -> Chat:
    chat = await start_chat(client)
    await chat.say(f"I want to talk to a person about {text}")
    return chat


async def claimed_chat(client: httpx.AsyncClient, agent: AgentClient, text: str) -> Chat:
    chat = await waiting_chat(client, text)
    response = await agent.post(f"/conversations/{chat.id}/claim")
    assert response.status_code == 200, response.text
    return chat


def item_of(html: str, conversation_id: str) -> str:
    """The inbox list item of one conversation ('' when it is not listed)."""
    found = re.search(
        rf'<li class="inbox-item[^"]*" data-conversation="{conversation_id}".*?</a>',
        html,
        flags=re.S,
    )
    return found.group(0) if found else ""


async def test_the_views_list_mine_the_waiting_and_the_teams_beside_the_queue(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await log_in_agent(client, session)
    ben = await log_in_agent(other_client, session)
    shelf = await claimed_chat(client, ana, "the walnut shelf")
    lamp = await claimed_chat(other_client, ben, "the cracked lamp")
    chairs = await waiting_chat(client, "the garden chairs")

    async def listed(view: str) -> set[str]:
        html = (await client.get(f"/console?view={view}", headers=HTML)).text
        return {c.id for c in (shelf, lamp, chairs) if item_of(html, c.id)}

    assert await listed("mine") == {shelf.id}
    assert await listed("unassigned") == {chairs.id}
    assert await listed("team") == {lamp.id}
    assert await listed("all") == {shelf.id, lamp.id, chairs.id}


async def test_the_open_conversation_is_marked_and_links_keep_the_filters(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await log_in_agent(client, session)
    shelf = await claimed_chat(client, ana, "the walnut shelf")
    lamp = await claimed_chat(client, ana, "the cracked lamp")
    page = await client.get(
        f"/console/conversations/{shelf.id}?queue=general&channel=web", headers=HTML
    )
    assert page.status_code == 200
    assert 'aria-current="page"' in item_of(page.text, shelf.id)
    assert 'aria-current="page"' not in item_of(page.text, lamp.id)
    assert f'href="/console/conversations/{lamp.id}?queue=general&amp;channel=web"' in page.text
    # The live refresh asks for the same list, with the conversation to mark.
    assert (
        f'hx-get="/console/inbox?queue=general&amp;channel=web&amp;current={shelf.id}"' in page.text
    )


@pytest.mark.parametrize(
    ("query", "said"),
    [
        pytest.param("view=everyone", "view &#39;everyone&#39; is not one of", id="view"),
        pytest.param("queue=billing", "queue &#39;billing&#39; is not one of", id="queue"),
        pytest.param("priority=9", "priority &#39;9&#39; is not one of", id="priority"),
        pytest.param("channel=fax", "choose one of them", id="channel"),
        pytest.param("status=sleeping", "status &#39;sleeping&#39;", id="status"),
        pytest.param("label=%3F%3F", "remove ? from", id="label"),
    ],
)
async def test_a_bad_filter_is_answered_422_saying_what_to_change(
    client: httpx.AsyncClient, session: AsyncSession, query: str, said: str
) -> None:
    await log_in_agent(client, session)
    for path in ("/console", "/console/inbox", "/console/queue"):
        response = await client.get(f"{path}?{query}", headers=HTML)
        assert response.status_code == 422, path
        assert said in response.text, path


async def test_customer_messages_are_unread_until_the_agent_has_them_on_screen(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await log_in_agent(client, session)
    await log_in_agent(other_client, session)  # Ben, who holds nothing
    shelf = await claimed_chat(client, ana, "the walnut shelf")
    last_seq = (await shelf.timeline())[-1]["seq"]
    read = await client.post(
        f"/console/conversations/{shelf.id}/read?seq={last_seq}", headers=ana.headers
    )
    assert read.status_code == 422  # the mark is a form field

    response = await client.post(
        f"/console/conversations/{shelf.id}/read",
        data={"seq": str(last_seq)},
        headers=ana.headers,
    )
    assert response.status_code == 204
    inbox = (await client.get("/console/inbox", headers=HTML)).text
    assert 'data-testid="unread-count"' not in item_of(inbox, shelf.id)

    await shelf.say("Are you still there?")
    await shelf.say("It is the one with the drawer.")
    inbox = (await client.get("/console/inbox", headers=HTML)).text
    assert re.search(r'data-testid="unread-count">2<', item_of(inbox, shelf.id))
    assert 'data-testid="mine-unread">2<' in inbox
    assert f'"{shelf.id}": 2' in inbox.replace("&#34;", '"')  # for the page's notifications
    # Ben does not hold it: nothing is unread for him, in any view.
    team = (await other_client.get("/console/inbox?view=all", headers=HTML)).text
    assert item_of(team, shelf.id)
    assert 'data-testid="unread-count"' not in team

    latest = (await shelf.timeline())[-1]["seq"]
    response = await client.post(
        f"/console/conversations/{shelf.id}/read", data={"seq": str(latest)}, headers=ana.headers
    )
    assert response.status_code == 204
    inbox = (await client.get("/console/inbox", headers=HTML)).text
    assert 'data-testid="unread-count"' not in inbox
    assert 'data-testid="mine-unread"' not in inbox


async def test_the_read_mark_needs_the_csrf_token(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await log_in_agent(client, session)
    shelf = await claimed_chat(client, ana, "the walnut shelf")
    response = await client.post(f"/console/conversations/{shelf.id}/read", data={"seq": "1"})
    assert response.status_code == 403
