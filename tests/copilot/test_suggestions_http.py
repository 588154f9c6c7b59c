"""The suggestions panel and saved replies, over HTTP."""

from __future__ import annotations

import re
from html import unescape

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tests.channels.helpers import AgentClient, log_in_agent, start_chat
from tests.factories import import_demo_knowledge

REPLACEMENT = (
    "I'm so sorry it arrived broken: I've sent a free replacement by express courier today."
)


async def _resolve_with(agent: AgentClient, client: httpx.AsyncClient, asked: str) -> None:
    chat = await start_chat(client)
    await chat.say(asked)
    await chat.say("I want to speak to a human")
    await agent.post(f"/conversations/{chat.id}/claim")
    reply = {"text": REPLACEMENT, "client_msg_id": f"reply-{chat.id}"}
    assert (await agent.post(f"/conversations/{chat.id}/messages", reply)).status_code == 201
    assert (await agent.post(f"/conversations/{chat.id}/resolve")).status_code == 200


async def test_the_panel_suggests_how_a_similar_conversation_was_resolved(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    await _resolve_with(supervisor, other_client, "my vase arrived broken into pieces")
    created = await supervisor.post(
        "/macros",
        {"title": "Order check", "body": "Hi, {agent_name} here: checking {order_number}."},
    )
    assert created.status_code == 201, created.text

    chat = await start_chat(other_client)
    await chat.say("the vase I ordered arrived broken, order 55120")
    await chat.say("can I talk to a person")
    panel = await client.get(f"/console/conversations/{chat.id}/suggestions")
    assert panel.status_code == 200
    text = unescape(panel.text)
    assert "For “the vase I ordered arrived broken, order 55120”" in text  # not the request
    assert f'data-insert="{REPLACEMENT}"' in text
    assert "a similar resolved conversation" in text
    assert f"Hi, {supervisor.user.name} here: checking 55120." in text


async def test_agents_read_saved_replies_and_only_supervisors_change_them(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    agent = await log_in_agent(other_client, session)
    body = {"title": "Greeting", "body": "Hi {customer_name}!"}
    assert (await agent.post("/macros", body)).status_code == 403
    created = await supervisor.post("/macros", body)
    assert created.status_code == 201
    assert (await supervisor.post("/macros", body)).status_code == 409
    listed = await other_client.get("/api/v1/agent/macros")
    assert [m["title"] for m in listed.json()] == ["Greeting"]
    macro_id = created.json()["id"]
    denied = await other_client.delete(f"/api/v1/agent/macros/{macro_id}", headers=agent.headers)
    assert denied.status_code == 403
    deleted = await client.delete(f"/api/v1/agent/macros/{macro_id}", headers=supervisor.headers)
    assert deleted.status_code == 204
    assert (await other_client.get("/api/v1/agent/macros")).json() == []


async def test_supervisors_manage_saved_replies_on_a_page(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    form = {"title": "Thanks", "body": "Thanks {customer_name}!", "csrf_token": supervisor.csrf}
    assert (await client.post("/console/macros", data=form)).status_code == 303
    page = await client.get("/console/macros")
    assert "Thanks {customer_name}!" in page.text


async def test_the_problem_stated_before_hello_still_leads_the_articles(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    await log_in_agent(client, session)
    chat = await start_chat(other_client)
    await chat.say("I sent the rug back three weeks ago and the refund still hasn't come")
    await chat.say("hello??")
    await chat.say("can I talk to a person")
    panel = await client.get(f"/console/conversations/{chat.id}/suggestions")
    assert panel.status_code == 200
    slugs = re.findall(r'href="/kb/([\w-]+)', panel.text)
    assert slugs, panel.text
    assert slugs[0] == "refund-not-received", slugs


async def test_no_article_is_suggested_when_none_is_likely_to_help(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    await log_in_agent(client, session)
    chat = await start_chat(other_client)
    await chat.say("you are all useless idiots")
    panel = await client.get(f"/console/conversations/{chat.id}/suggestions")
    assert panel.status_code == 200
    assert re.findall(r'href="/kb/([\w-]+)', panel.text) == []
