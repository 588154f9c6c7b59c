"""Hot paths do a fixed number of queries, whatever the conversation's length (no N+1)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.channels.streams import timeline_events
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, EventKind
from tandem.core.events import (
    InProcessNotifier,
    conversation_channel,
    get_notifier,
    set_notifier,
)
from tests.channels.helpers import Chat, count_queries, start_chat
from tests.factories import create_conversation, create_customer, import_demo_knowledge

# Distinct routine questions, each answered from a different article: the bot keeps the chat.
ROUTINE = (
    "how much is postage?",
    "will I have to pay import tax in switzerland",
    "how do i track my package",
    "whats your return policy",
    "i dont have a printer, how do i print the return label",
    "can i swap the towels for a different colour",
    "how long do refunds take?",
    "can i pay in 3 installments",
    "i need a vat invoice for my company",
    "my promo code isnt working",
)


async def _grow(chat: Chat, turns: int) -> None:
    for n in range(turns):
        await chat.say(ROUTINE[n % len(ROUTINE)])
    assert (await chat.status())["status"] == "bot"


@pytest.fixture(autouse=True)
async def demo_knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


async def _costs(
    session: AsyncSession, chats: tuple[Chat, Chat], action: Callable[[Chat], Awaitable[object]]
) -> list[int]:
    counts = []
    for chat in chats:
        with count_queries(session) as statements:
            await action(chat)
        counts.append(len(statements))
    return counts


async def test_a_customer_turn_costs_the_same_in_a_short_and_a_long_conversation(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    short, long = await start_chat(client), await start_chat(client)
    await _grow(short, 3)
    await _grow(long, len(ROUTINE))
    short_cost, long_cost = await _costs(
        session, (short, long), lambda chat: chat.say("do you ship to norway?")
    )
    assert short_cost == long_cost


async def test_reading_the_timeline_costs_the_same_whatever_its_length(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    short, long = await start_chat(client), await start_chat(client)
    await _grow(long, len(ROUTINE))
    short_cost, long_cost = await _costs(session, (short, long), lambda chat: chat.timeline())
    assert short_cost == long_cost


@pytest.mark.parametrize("what", ["message", "event"])
async def test_appending_writes_the_conversation_row_once(session: AsyncSession, what: str) -> None:
    conversation, _, _ = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None
    )
    await session.flush()
    before, touched = conversation.last_seq, conversation.updated_at
    with count_queries(session) as statements:
        if what == "message":
            await conversation_service.append_message(
                session, conversation, author=Author.CUSTOMER, text="hello", client_msg_id="c1"
            )
        else:
            await conversation_service.append_event(
                session, conversation, kind=EventKind.HANDOFF, data={"reason": "customer_asked"}
            )
        await session.flush()
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE CONVERSATIONS")]
    assert len(updates) == 1, updates
    await session.refresh(conversation)
    assert conversation.last_seq == before + 1
    assert conversation.updated_at > touched  # written by the same UPDATE


def _reads_of_messages(statements: list[str]) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT MESSAGES."))


async def test_a_live_stream_reads_the_database_once_per_wake_up(session: AsyncSession) -> None:
    customer = await create_customer(session)
    conversation = await create_conversation(session, customer, (Author.CUSTOMER, "hello"))
    units = async_sessionmaker(
        bind=session.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    stream = timeline_events(units, conversation.id, after=0)
    with count_queries(session) as statements:
        waiting = asyncio.ensure_future(anext(stream))
        history = 0
        while not (await asyncio.wait({waiting}, timeout=0.5))[1]:  # done within 0.5 s
            history += 1
            waiting = asyncio.ensure_future(anext(stream))
        assert history >= 2  # the conversation's start and its message
        assert _reads_of_messages(statements) == 1  # a short page is all there was: it waits

        await conversation_service.append_message(
            session, conversation, author=Author.CUSTOMER, text="anyone?"
        )
        await get_notifier().publish(conversation_channel(conversation.id))
        assert (await asyncio.wait_for(waiting, 30))["event"] == "message"
        assert _reads_of_messages(statements) == 2
    await stream.aclose()


async def test_a_live_stream_says_how_far_it_has_read(session: AsyncSession) -> None:
    """The sweep for lost wake-ups compares this with the conversation's last seq."""
    notifier = InProcessNotifier()
    set_notifier(notifier)
    try:
        customer = await create_customer(session)
        conversation = await create_conversation(session, customer, (Author.CUSTOMER, "hello"))
        units = async_sessionmaker(
            bind=session.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        channel = conversation_channel(conversation.id)
        stream = timeline_events(units, conversation.id, after=0)
        waiting = asyncio.ensure_future(anext(stream))
        await asyncio.wait_for(waiting, 30)
        assert notifier.marks() == {channel: conversation.last_seq}

        await conversation_service.append_message(
            session, conversation, author=Author.CUSTOMER, text="anyone?"
        )
        assert notifier.marks() == {channel: conversation.last_seq - 1}  # not read yet
        await stream.aclose()
        assert notifier.marks() == {}
    finally:
        set_notifier(None)
