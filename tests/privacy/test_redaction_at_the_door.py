"""A card number or password typed into the chat is never stored, and the customer is told."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import Message
from tests.channels.helpers import start_chat

CARD = "4111 1111 1111 1111"


async def test_a_pasted_card_number_is_removed_before_it_is_stored(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say(f"my card {CARD} was charged twice, and my password is Summer2024!")
    transcript = await chat.messages()
    said = next(m for m in transcript if m["author"] == "customer")
    assert "1111" not in said["text"]
    assert "Summer2024" not in said["text"]
    assert "[card number removed]" in said["text"]
    assert "[password removed]" in said["text"]
    notice = next(m for m in transcript if m.get("kind") == "redacted")
    assert "removed" in notice["text"]
    stored = (await session.execute(select(Message.text, Message.data))).all()
    assert not any("4111" in text or "Summer2024" in str(data) for text, data in stored)
    assert any(data.get("redacted") == ["card", "password"] for _text, data in stored)


async def test_a_message_in_spanish_gets_the_notice_in_spanish(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await chat.say("hola, mi contraseña es gato1234 y no puedo entrar en mi cuenta")
    notice = next(m for m in await chat.messages() if m.get("kind") == "redacted")
    assert "Por tu seguridad" in notice["text"]


async def test_order_numbers_and_phone_numbers_are_kept(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await chat.say("order 10423, call me on +44 20 7946 0958 please")
    transcript = await chat.messages()
    said = next(m for m in transcript if m["author"] == "customer")
    assert said["text"] == "order 10423, call me on +44 20 7946 0958 please"
    assert not any(m.get("kind") == "redacted" for m in transcript)


async def test_a_national_id_number_is_removed_before_it_is_stored(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say("hoi, mijn BSN is 123 456 782, kunnen jullie mijn account terugzetten?")
    transcript = await chat.messages()
    said = next(m for m in transcript if m["author"] == "customer")
    assert said["text"] == (
        "hoi, mijn BSN is [ID number removed], kunnen jullie mijn account terugzetten?"
    )
    notice = next(m for m in transcript if m.get("kind") == "redacted")
    assert "identiteitsnummer" in notice["text"]
    stored = (await session.execute(select(Message.text, Message.data))).all()
    assert not any("456" in text or "456" in str(data) for text, data in stored)
    assert any(data.get("redacted") == ["national_id"] for _text, data in stored)
