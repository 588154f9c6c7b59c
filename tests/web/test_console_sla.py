"""The console shows each conversation's first-reply countdown, worked out on the server."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import service as conversation_service
from tandem.core.time import utc_now
from tandem.routing import service as routing_service
from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import import_demo_knowledge, install_policy, policy_document

HTML = {"Accept": "text/html"}


@pytest.fixture(autouse=True)
async def setup(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="pull"))


async def hand_off(client: httpx.AsyncClient, session: AsyncSession, *, due_in: timedelta) -> str:
    """A conversation waiting for a person whose first reply is due ``due_in`` from now."""
    chat = await start_chat(client)
    await chat.say("I want to talk to a person about my refund")
    conversation = await conversation_service.get_conversation(session, chat.id)
    handoff = await routing_service.open_handoff(session, conversation)
    assert handoff is not None
    handoff.sla_deadline = utc_now() + due_in
    await session.flush()
    return chat.id


def clock_of(html: str, conversation_id: str) -> str:
    """The countdown markup in the queue row (or list item) of one conversation."""
    row = re.search(rf'data-conversation="{conversation_id}".*?</(tr|li)>', html, flags=re.S)
    assert row, html
    clock = re.search(r'<span class="sla .*?</span>', row.group(0), flags=re.S)
    assert clock, row.group(0)
    return clock.group(0)


async def test_the_queue_shows_time_left_amber_past_80_percent_and_red_overdue(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    fresh = await hand_off(client, session, due_in=timedelta(minutes=4, seconds=50))
    late = await hand_off(client, session, due_in=timedelta(seconds=30))  # 270 of 300 s gone
    overdue = await hand_off(client, session, due_in=-timedelta(minutes=1, seconds=5))

    queue = (await client.get("/console", headers=HTML)).text

    on_time = clock_of(queue, fresh)
    assert 'class="sla sla-on-time"' in on_time
    assert 'role="timer"' in on_time
    assert re.search(r'aria-label="SLA: 4 minutes left"', on_time)
    assert re.search(r">4:(4\d|50) left</time>", on_time)
    assert 'data-sla-share="0.8"' in on_time
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00">', on_time)
    at_risk = clock_of(queue, late)
    assert 'class="sla sla-at-risk"' in at_risk
    assert 'aria-label="SLA: less than a minute left (at risk)"' in at_risk
    red = clock_of(queue, overdue)
    assert 'class="sla sla-overdue"' in red
    assert 'aria-label="SLA overdue by 1 minute"' in red
    assert re.search(r">overdue 1:0\d</time>", red)


async def test_once_the_agent_replies_the_countdown_reads_replied(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    conversation_id = await hand_off(client, session, due_in=timedelta(minutes=3))
    assert (await agent.post(f"/conversations/{conversation_id}/claim")).status_code == 200

    page = (await client.get(f"/console/conversations/{conversation_id}")).text
    assert "First reply:" in page
    assert 'class="sla sla-on-time"' in page
    assert "SLA: 4 minutes left" in page  # claiming restarts the queue's 5 minutes

    sent = await agent.post(
        f"/conversations/{conversation_id}/messages",
        {"text": "Hello, I'm looking at your refund now.", "client_msg_id": "sla-reply-1"},
    )
    assert sent.status_code == 201, sent.text
    page = (await client.get(f"/console/conversations/{conversation_id}")).text
    assert '<span class="sla sla-replied" data-sla-state="replied">replied</span>' in page
    assert 'role="timer"' not in page
    queue = (await client.get("/console", headers=HTML)).text
    assert ">replied</span>" in clock_of(queue, conversation_id)


async def test_a_resolved_conversation_has_no_countdown(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    conversation_id = await hand_off(client, session, due_in=timedelta(minutes=3))
    assert (await agent.post(f"/conversations/{conversation_id}/resolve")).status_code == 200
    page = (await client.get(f"/console/conversations/{conversation_id}")).text
    assert "First reply:" not in page
    assert 'class="sla ' not in page
