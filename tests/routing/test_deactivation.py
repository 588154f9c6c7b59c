"""A deactivated agent cannot log in, holds no conversations, and receives no transfers."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.conversations import service as conversation_service
from tandem.core.errors import AuthenticationError, InvalidInputError
from tandem.escalation import service as escalation_service
from tandem.routing import service as routing_service
from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import PASSWORD, import_demo_knowledge, install_policy, policy_document


@pytest.fixture(autouse=True)
async def auto_policy(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="auto"))


async def test_deactivating_an_agent_puts_her_conversations_back_in_line_first(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    leaving = await log_in_agent(client, session)
    chat = await start_chat(other_client)
    await chat.say("a person please")
    assert (await chat.status())["agent_name"] == leaving.user.name

    user = await auth_service.deactivate_user(session, email=leaving.user.email)
    policy = (await escalation_service.active_policy(session)).policy
    released = await routing_service.release_all(session, user, policy=policy, why="left")

    assert len(released) == 1
    assert (await chat.status())["status"] == "waiting"
    assert any("finding someone else" in m["text"] for m in await chat.messages())
    with pytest.raises(AuthenticationError):
        await auth_service.log_in(
            session, email=leaving.user.email, password=PASSWORD, max_age_seconds=60
        )
    assert (await client.get("/api/v1/agent/queue")).status_code == 401  # her session ended


async def test_a_transfer_to_a_deactivated_agent_is_refused(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = await log_in_agent(client, session)
    gone = await log_in_agent(other_client, session)
    await auth_service.deactivate_user(session, email=gone.user.email)
    chat = await start_chat(client)
    await chat.say("a person please")
    conversation = await conversation_service.get_conversation(session, chat.id)
    policy = (await escalation_service.active_policy(session)).policy
    with pytest.raises(InvalidInputError, match="deactivated"):
        await routing_service.transfer(
            session,
            by=owner.user,
            conversation=conversation,
            policy=policy,
            note="over to you",
            to_agent=gone.user,
        )


async def test_a_new_password_works_and_ends_the_old_sessions(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    await auth_service.set_password(session, email=agent.user.email, password="a new long secret")
    assert (await client.get("/api/v1/agent/queue")).status_code == 401
    login = await auth_service.log_in(
        session, email=agent.user.email, password="a new long secret", max_age_seconds=60
    )
    assert login.user.id == agent.user.id
    with pytest.raises(InvalidInputError, match="at least"):
        await auth_service.set_password(session, email=agent.user.email, password="short")
