"""Routing over the API: automatic assignment, SLAs, cool-downs, off-hours, transfers."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.bot import service as bot_service
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, Customer, Tier
from tandem.core.time import utc_now
from tandem.escalation import service as escalation_service
from tandem.routing import service as routing_service
from tandem.routing.assignment import sweep
from tests.channels.helpers import AgentClient, Chat, log_in_agent, start_chat
from tests.factories import import_demo_knowledge, install_policy, policy_document

HOSTILE = "you useless idiots, this is the worst shop ever"


@pytest.fixture(autouse=True)
async def auto_policy(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="auto"))


async def _agent(
    client: httpx.AsyncClient, session: AsyncSession, *, skills: list[str], role: Role = Role.AGENT
) -> AgentClient:
    agent = await log_in_agent(client, session, role=role)
    agent.user.skills = skills
    await session.flush()
    return agent


async def _owner(chat: Chat) -> str | None:
    return (await chat.status())["agent_name"]


async def test_a_handoff_is_assigned_at_once_to_a_qualified_online_agent(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    general = await _agent(client, session, skills=[])
    vip_agent = await _agent(other_client, session, skills=["vip", "care"])
    chat = await start_chat(client)
    await chat.say("agent please")
    assert (await chat.status())["status"] == "assigned"
    assert await _owner(chat) in (general.user.name, vip_agent.user.name)
    joined = (await chat.messages())[-1]
    assert joined["author"] == "system"
    assert "has joined the conversation" in joined["text"]


async def test_a_vip_goes_to_the_vip_queue_and_an_agent_with_the_vip_skill(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _agent(client, session, skills=[])
    vip_agent = await _agent(other_client, session, skills=["vip"])
    customer = await conversation_service.create_customer(session, tier=Tier.VIP, attributes={})
    conversation, token = await _start_for(session, customer)
    chat = Chat(client, conversation.id, token)
    await chat.say("I need to talk to someone")
    [event] = [i for i in await chat.timeline() if i.get("kind") == "conversation.handed_off"]
    assert event["data"]["queue"] == "vip"
    assert await _owner(chat) == vip_agent.user.name


async def _start_for(session: AsyncSession, customer: Customer) -> tuple[Conversation, str]:
    config = bot_service.config_from(Settings(environment="test"))
    return await bot_service.start(
        session, identity=None, identity_secret=None, config=config, customer=customer
    )


async def test_capacity_is_respected_and_the_rest_wait(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await _agent(client, session, skills=[])
    agent.user.capacity = 1
    await session.flush()
    first, second = await start_chat(client), await start_chat(client)
    await first.say("human please")
    await second.say("human please")
    assert (await first.status())["status"] == "assigned"
    assert (await second.status())["status"] == "waiting"
    # Resolving the first frees the agent, who gets the second at once.
    response = await agent.post(f"/conversations/{first.id}/resolve")
    assert response.status_code == 200
    assert (await second.status())["status"] == "assigned"


async def test_an_agent_on_cool_down_is_skipped_for_a_hostile_case(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await _agent(client, session, skills=[])
    hostile = await start_chat(client)
    await hostile.say(HOSTILE)
    assert await _owner(hostile) == ana.user.name
    await ana.post(f"/conversations/{hostile.id}/resolve")
    await session.refresh(ana.user)
    assert ana.user.cooldown_until is not None
    assert ana.user.cooldown_until > utc_now()

    ben = await _agent(other_client, session, skills=[])
    ben.user.capacity = 5
    ana.user.capacity = 5
    await session.flush()
    another_hostile = await start_chat(client)
    await another_hostile.say("this is a joke, you are all useless, I'm furious")
    assert await _owner(another_hostile) == ben.user.name
    easy = await start_chat(client)
    await easy.say("can I speak to a person please")
    assert await _owner(easy) in (ana.user.name, ben.user.name)


async def test_an_agent_who_does_not_reply_in_time_loses_the_conversation(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    slow = await _agent(client, session, skills=[])
    chat = await start_chat(client)
    await chat.say("human please")
    assert await _owner(chat) == slow.user.name
    handoff = await routing_service.open_handoff(
        session, await conversation_service.get_conversation(session, chat.id)
    )
    assert handoff is not None
    assert handoff.sla_deadline is not None
    handoff.sla_deadline = utc_now() - timedelta(seconds=1)
    quick = await _agent(other_client, session, skills=[])
    policy = (await escalation_service.active_policy(session)).policy
    report = await sweep(session, policy=policy)
    assert report.requeued == [handoff.id]
    assert report.violations == []
    await session.refresh(handoff)
    assert handoff.sla_breached
    assert handoff.requeued_count == 1
    assert await _owner(chat) == quick.user.name  # not the agent who missed the deadline
    texts = [m["text"] for m in await chat.messages()]
    assert any("finding someone else" in t for t in texts)


async def test_the_sweep_proves_no_waiting_conversation_is_orphaned(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chats = [await start_chat(client) for _ in range(3)]
    for chat in chats:
        await chat.say("agent")
    # The "care" queue disappears from the policy while a conversation waits in it.
    handoff = await routing_service.open_handoff(
        session, await conversation_service.get_conversation(session, chats[0].id)
    )
    assert handoff is not None
    handoff.queue = "care"
    handoff.sla_deadline = None
    document = policy_document(assignment="auto")
    document = document.replace("  care:", "  old-care:").replace("queue: care", "queue: general")
    await install_policy(session, document)
    policy = (await escalation_service.active_policy(session)).policy
    report = await sweep(session, policy=policy)
    assert handoff.id in report.rehomed
    assert handoff.id in report.deadlines_set
    assert report.waiting == 3
    assert report.violations == []


async def _closed_until_the_day_after_tomorrow(session: AsyncSession) -> None:
    """Install a policy whose only opening hours are the day after tomorrow, 09:00-17:00."""
    tomorrow_but_one = (utc_now().weekday() + 2) % 7
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[tomorrow_but_one]
    document = policy_document(assignment="auto")
    document = document.replace(
        "    skills: []\n", f"    skills: []\n    hours: {{{day}: '09:00-17:00'}}\n", 1
    )
    await install_policy(session, document)


async def test_off_hours_customers_see_when_we_are_back_and_can_leave_an_email(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _closed_until_the_day_after_tomorrow(session)
    chat = await start_chat(client)
    turn = await chat.say("I want to speak to a person")
    assert turn["queue"]["open"] is False
    assert "back" in turn["queue"]["estimated_wait_text"]
    told = (await chat.messages())[-1]["text"]
    assert "offline right now" in told
    assert "leave your e-mail" in told
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/follow-up",
        json={"email": "sam@example.com"},
        headers=chat.headers,
    )
    assert response.status_code == 200
    assert response.json()["follow_up"] == "email"
    assert response.json()["status"] == "waiting"  # never silently back to the bot
    assert "sam@example.com" in (await chat.messages())[-1]["text"]


async def test_a_german_customer_reads_the_queue_in_german(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _closed_until_the_day_after_tomorrow(session)
    chat = await start_chat(client)
    turn = await chat.say("Ich möchte bitte mit einem Menschen sprechen, nicht mit dem Bot.")
    back = turn["queue"]["estimated_wait_text"]
    assert back.startswith("wir sind am "), back
    assert back.endswith("wieder da"), back
    told = (await chat.messages())[-1]["text"]
    assert "Unser Team ist gerade nicht online" in told
    assert "we're back" not in told
    await chat.say("ok")  # no language of its own: the conversation's stays German
    status = await chat.status()
    assert status["queue"]["estimated_wait_text"] == back
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/follow-up",
        json={"email": "sam@example.com"},
        headers=chat.headers,
    )
    assert response.status_code == 200
    noted = (await chat.messages())[-1]["text"]
    assert noted == (
        "Danke. Wir antworten per E-Mail an sam@example.com; "
        "Sie müssen diese Seite nicht geöffnet lassen."
    )


async def test_an_agent_joins_and_resolves_in_the_customers_language(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await _agent(other_client, session, skills=[])
    chat = await start_chat(client)
    await chat.say("Hola, quiero hablar con una persona de verdad, por favor.")
    assert (await chat.status())["status"] == "assigned"
    joined = (await chat.messages())[-1]["text"]
    assert (
        joined
        == f"{agent.user.name}, de nuestro equipo de atención, se ha unido a la conversación."
    )
    resolved = await agent.post(f"/conversations/{chat.id}/resolve")
    assert resolved.status_code == 200, resolved.text
    closing = (await chat.messages())[-1]["text"]
    assert closing.startswith("Esta conversación se ha marcado como resuelta.")


async def test_follow_up_needs_details_and_a_waiting_conversation(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    refused = await client.post(
        f"/api/v1/conversations/{chat.id}/follow-up",
        json={"email": "a@example.com"},
        headers=chat.headers,
    )
    assert refused.status_code == 409
    await chat.say("human please")
    empty = await client.post(
        f"/api/v1/conversations/{chat.id}/follow-up", json={}, headers=chat.headers
    )
    assert empty.status_code == 422
    bad_phone = await client.post(
        f"/api/v1/conversations/{chat.id}/follow-up",
        json={"phone": "call me"},
        headers=chat.headers,
    )
    assert bad_phone.status_code == 422


async def test_a_supervisor_transfers_with_an_internal_note(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await _agent(client, session, skills=[])
    boss = await _agent(other_client, session, skills=["vip", "care"], role=Role.SUPERVISOR)
    boss.user.presence = boss.user.presence.OFFLINE
    await session.flush()
    chat = await start_chat(client)
    await chat.say("human please")
    assert await _owner(chat) == ana.user.name
    response = await other_client.post(
        f"/api/v1/agent/conversations/{chat.id}/transfer",
        json={"to_agent_id": boss.user.id, "note": "Customer is a journalist; handle carefully"},
        headers=boss.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["claimed_by"] == boss.user.id
    customer_view = await chat.timeline()
    assert "journalist" not in str(customer_view)  # internal notes stay internal


async def test_an_agent_cannot_transfer_someone_elses_conversation(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _agent(client, session, skills=[])
    other = await _agent(other_client, session, skills=[])
    other.user.presence = other.user.presence.OFFLINE
    await session.flush()
    chat = await start_chat(client)
    await chat.say("human please")
    response = await other.post(f"/conversations/{chat.id}/transfer", {"to_queue": "vip"})
    assert response.status_code == 403


async def test_an_abusive_chat_can_be_ended_after_a_warning(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await _agent(client, session, skills=[])
    chat = await start_chat(client)
    await chat.say(HOSTILE)
    too_soon = await agent.post(f"/conversations/{chat.id}/end", {"reason": "abuse"})
    assert too_soon.status_code == 409
    assert "Warn the customer first" in too_soon.json()["error"]["message"]
    assert (await agent.post(f"/conversations/{chat.id}/warn")).status_code == 201
    ended = await agent.post(f"/conversations/{chat.id}/end", {"reason": "kept swearing"})
    assert ended.status_code == 200
    status = await chat.status()
    assert status["status"] == "resolved"
    assert "ended because of abusive language" in (await chat.messages())[-1]["text"]


async def test_a_polite_chat_cannot_be_ended_as_abusive(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await _agent(client, session, skills=[])
    chat = await start_chat(client)
    await chat.say("could I speak to a person please")
    await agent.post(f"/conversations/{chat.id}/warn")
    response = await agent.post(f"/conversations/{chat.id}/end", {"reason": "rude"})
    assert response.status_code == 409


async def test_a_break_is_suggested_after_intense_conversations(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await _agent(client, session, skills=[])
    agent.user.capacity = 10
    await session.flush()
    for _ in range(4):
        chat = await start_chat(client)
        await chat.say(HOSTILE)
    advice = (await client.get("/api/v1/agent/me/wellbeing")).json()
    assert advice["suggest_break"] is True
    assert "intense" in advice["why"]
    queue = (await client.get("/console/queue")).text
    assert "You&#39;ve handled several intense conversations." in queue  # the console says why
    after = (await client.post("/api/v1/agent/me/break", headers=agent.headers)).json()
    assert after["presence"] == "away"
    assert after["suggest_break"] is False


async def test_going_online_picks_up_waiting_conversations(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await _agent(client, session, skills=[])
    await client.post("/api/v1/agent/me/presence", json={"presence": "away"}, headers=agent.headers)
    chat = await start_chat(client)
    await chat.say("human please")
    assert (await chat.status())["status"] == "waiting"
    await client.post(
        "/api/v1/agent/me/presence", json={"presence": "online"}, headers=agent.headers
    )
    assert (await chat.status())["status"] == "assigned"


async def test_the_supervisor_overview_is_for_supervisors(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _agent(client, session, skills=[])
    assert (await client.get("/api/v1/agent/supervisor")).status_code == 403
    await _agent(other_client, session, skills=[], role=Role.SUPERVISOR)
    chat = await start_chat(client)
    await chat.say(HOSTILE)
    overview = (await other_client.get("/api/v1/agent/supervisor")).json()
    assert {q["name"] for q in overview["queues"]} >= {"general", "vip", "care"}
    loads = [a["load_today"] for a in overview["agents"]]
    assert max(loads) > 0
