"""A customer who writes while waiting for a person is told it was kept, without being spammed."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import Message
from tests.channels.helpers import Chat, log_in_agent, start_chat


async def _acks(chat: Chat) -> list[dict[str, object]]:
    return [m for m in await chat.messages() if m["kind"] == "waiting_ack"]


async def test_the_first_message_while_waiting_is_acknowledged_once(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    await chat.say("I want to speak to a human")
    assert (await chat.status())["status"] == "waiting"
    await chat.say("it's about order 1234, the lamp")
    [ack] = await _acks(chat)
    assert ack["author"] == "system"
    assert "still in the queue" in str(ack["text"])
    await chat.say("and the cable is frayed too")  # a burst is not acknowledged each time
    assert len(await _acks(chat)) == 1


async def test_the_acknowledgement_is_in_the_customers_language(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    await chat.say("quiero hablar con una persona, por favor")
    assert (await chat.status())["status"] == "waiting"
    await chat.say("es sobre el pedido de la lámpara que llegó rota")
    [ack] = await _acks(chat)
    assert "Sigues en la cola" in str(ack["text"])


async def test_a_customer_still_waiting_after_a_quiet_spell_is_told_again(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say("operator please")
    await chat.say("hello? anyone?")
    first = (
        await session.execute(
            select(Message).where(
                Message.conversation_id == chat.id,
                Message.data["kind"].as_string() == "waiting_ack",
            )
        )
    ).scalar_one()
    await session.execute(
        update(Message)
        .where(Message.id == first.id)
        .values(created_at=first.created_at - timedelta(minutes=11))
    )
    await session.commit()
    await chat.say("still here, it's been a while")
    assert len(await _acks(chat)) == 2


async def test_once_a_person_has_written_nothing_is_acknowledged(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("I want to speak to a human")
    reply = await agent.post(
        f"/conversations/{chat.id}/messages", {"text": "Hi, I'm Sam.", "client_msg_id": "s1"}
    )
    assert reply.status_code == 201
    await chat.say("hi Sam, it's about the lamp")
    assert await _acks(chat) == []
