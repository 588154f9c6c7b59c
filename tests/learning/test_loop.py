"""The learning loop over HTTP: a person's answer becomes a reviewed article the bot then uses."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.models import Role
from tandem.learning import service as learning_service
from tandem.learning.models import ProposalStatus
from tests.channels.helpers import AgentClient, Chat, log_in_agent, start_chat
from tests.factories import import_demo_knowledge

QUESTION = "do you sell garden sheds?"
ANSWER = (
    "We don't sell garden sheds ourselves, but our partner Larch & Co builds them to order; "
    "you'll find their garden sheds linked from our Outdoor page."
)


async def _escalate_and_resolve(client: httpx.AsyncClient, agent: AgentClient) -> Chat:
    chat = await start_chat(client)
    await chat.say(QUESTION)
    assert (await chat.last_bot_or_system())["kind"] == "not_sure"
    await chat.say("I want to speak to a human")
    assert (await agent.post(f"/conversations/{chat.id}/claim")).status_code == 200
    for number, text in enumerate(("Hi, I'm here to help.", ANSWER)):
        reply = await agent.post(
            f"/conversations/{chat.id}/messages", {"text": text, "client_msg_id": f"r{number}"}
        )
        assert reply.status_code == 201, reply.text
    assert (await agent.post(f"/conversations/{chat.id}/resolve")).status_code == 200
    return chat


async def test_a_resolution_becomes_a_proposal_that_teaches_the_bot_once_approved(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    chat = await _escalate_and_resolve(other_client, supervisor)

    [proposal] = await learning_service.list_proposals(session, status=ProposalStatus.PENDING)
    assert proposal.conversation_ids == [chat.id]
    assert proposal.question == QUESTION
    assert ANSWER in proposal.body
    assert "I'm here to help" not in proposal.body
    assert proposal.examples == [QUESTION]

    # Pending means unpublished: the bot still does not know.
    again = await start_chat(other_client)
    await again.say(QUESTION)
    assert (await again.last_bot_or_system())["kind"] == "not_sure"

    page = await client.get("/console/review")
    assert page.status_code == 200
    assert QUESTION in page.text
    approved = await client.post(
        f"/console/review/{proposal.id}/approve",
        data={
            "title": "Do you sell garden sheds?",
            "body": ANSWER,
            "examples": f"{QUESTION}\ncan I buy a shed from you",
            "csrf_token": supervisor.csrf,
        },
    )
    assert approved.status_code == 303, approved.text
    [entry] = await audit.entries(session, action="knowledge.approved")
    assert (entry.actor_user_id, entry.target) == (supervisor.user.id, proposal.slug)

    fresh = await start_chat(other_client)
    await fresh.say(QUESTION)
    answer = await fresh.last_bot_or_system()
    assert answer["kind"] == "answer", answer
    assert "Larch & Co" in answer["text"]
    assert await learning_service.training_examples(session) == [
        (QUESTION, proposal.slug),
        ("can I buy a shed from you", proposal.slug),
    ]
    exported = await client.get("/console/review/training.jsonl")
    assert exported.text.splitlines() == [
        f'{{"text": "{QUESTION}", "intent": "{proposal.slug}"}}',
        f'{{"text": "can I buy a shed from you", "intent": "{proposal.slug}"}}',
    ]
    page = await client.get("/console/review")
    assert "No proposals are waiting" in page.text
    # The effect: the bot answered none of the 2 earlier askings, and the 1 since.
    assert "0% of 2" in page.text
    assert "100% of 1" in page.text
    assert "Do you sell garden sheds?" in page.text


async def test_a_customer_who_just_wanted_a_person_teaches_nothing(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    agent = await log_in_agent(client, session)
    chat = await start_chat(other_client)
    await chat.say("I want to speak to a human")
    await agent.post(f"/conversations/{chat.id}/claim")
    await agent.post(f"/conversations/{chat.id}/messages", {"text": "Hi!", "client_msg_id": "a"})
    await agent.post(f"/conversations/{chat.id}/resolve")
    assert await learning_service.list_proposals(session, status=ProposalStatus.PENDING) == []


async def test_only_supervisors_review(client: httpx.AsyncClient, session: AsyncSession) -> None:
    agent = await log_in_agent(client, session)
    assert (await client.get("/console/review")).status_code == 403
    rejected = await client.post("/console/review/1/reject", data={"csrf_token": agent.csrf})
    assert rejected.status_code == 403
