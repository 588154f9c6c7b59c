"""A model words the bot's answers in a job, after the customer's request, never during it.

The request stores the message, decides and records a pending reply; the customer sees the bot
typing; the job asks the model with no transaction open and posts its checked wording, or the
passage itself. Replies keep the order asked, are dropped once a person has the conversation,
and those whose job was lost are queued again.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import answers
from tandem.bot import service as bot_service
from tandem.bot.compose import writer_for
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Customer, PendingReply, Tier
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.followups import set_deferrer
from tandem.core.time import utc_now
from tandem.privacy import service as privacy_service
from tests.bot.at_once import shared
from tests.bot.llm.helpers import served
from tests.bot.servers import FakeModel
from tests.channels.helpers import Chat, start_chat
from tests.conftest import Database
from tests.factories import import_demo_knowledge
from tests.live import free_port
from tests.waiting import eventually

GROUNDED = (
    "Pebble & Pine issues your refund within 2 business days of your return arriving at our "
    "warehouse [1]."
)


class Later:
    """A job queue that only notes what it was asked: the test runs the jobs itself."""

    def __init__(self) -> None:
        self.deferred: list[tuple[str, str | None, dict[str, object]]] = []

    async def defer(self, task: str, *, lock: str | None = None, **arguments: object) -> None:
        self.deferred.append((task, lock, arguments))


def _later() -> Later:
    queue = Later()
    set_deferrer(queue)  # the module's autouse fixture resets it after the test
    return queue


async def _run(
    session: AsyncSession, settings: Settings, chat: Chat, *, llm_url: str | None = None
) -> int:
    """Run the conversation's answer job, as the job runner would."""
    if llm_url is not None:
        settings = settings.model_copy(update={"llm_url": llm_url})
    config = bot_service.config_from(settings)
    unit = shared(session)
    return await answers.write_pending(unit, unit, chat.id, writer_for(config.llm), config)


def _answers(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in timeline if i["type"] == "message" and i.get("kind") == "answer"]


async def test_the_request_records_the_reply_and_the_job_posts_the_models_wording(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, model: FakeModel
) -> None:
    queue = _later()
    model.reply = GROUNDED
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    assert model.requests == []  # not asked while the customer's request ran
    timeline = await chat.timeline()
    assert timeline[-1]["type"] == "event"
    assert timeline[-1]["kind"] == "conversation.bot_typing"
    assert _answers(timeline) == []
    assert queue.deferred == [(answers.TASK, f"answers-{chat.id}", {"conversation_id": chat.id})]
    assert await _run(session, settings, chat) == 1
    answer = await chat.last_bot_or_system()
    assert answer["text"] == GROUNDED
    assert answer["sources"][0]["slug"] == "refund-processing-times"
    # Run again (a retried or duplicated job): nothing is asked or posted twice.
    assert await _run(session, settings, chat) == 0
    assert len(model.requests) == 1


async def test_replies_keep_the_order_the_questions_were_asked_in(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, model: FakeModel
) -> None:
    _later()
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    await chat.say("do you ship to Norway?")
    model.reply = "NOT IN PASSAGES"  # the model declines: each passage is shown as it is
    assert await _run(session, settings, chat) == 2
    questions = [r["body"]["messages"][1]["content"] for r in model.requests]
    assert "refunds" in questions[0]
    assert "Norway" in questions[1]
    first, second = _answers(await chat.timeline())
    assert first["sources"][0]["slug"] == "refund-processing-times"
    assert first["seq"] < second["seq"]


async def test_a_model_that_cannot_be_reached_leaves_the_passage(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    _later()
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    assert await _run(session, settings, chat, llm_url=f"http://127.0.0.1:{free_port()}/v1") == 1
    answer = await chat.last_bot_or_system()
    assert "business days" in answer["text"]  # the passage, as written
    assert answer["sources"][0]["slug"] == "refund-processing-times"


async def test_a_reply_still_being_worded_is_dropped_once_a_person_has_the_chat(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, model: FakeModel
) -> None:
    _later()
    model.reply = GROUNDED
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    handoff = await client.post(f"/api/v1/conversations/{chat.id}/handoff", headers=chat.headers)
    assert handoff.status_code == 200, handoff.text
    assert await _run(session, settings, chat) == 0
    assert _answers(await chat.timeline()) == []
    left = await session.execute(
        select(PendingReply).where(PendingReply.conversation_id == chat.id)
    )
    assert left.first() is None


async def test_replies_whose_job_was_lost_are_found_again(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    _later()
    lost = await start_chat(client)
    await lost.say("how long do refunds take?")
    fresh = await start_chat(client)
    await fresh.say("how long do refunds take?")
    [pending] = (
        await session.execute(select(PendingReply).where(PendingReply.conversation_id == lost.id))
    ).scalars()
    pending.created_at = utc_now() - answers.LATE - timedelta(seconds=5)
    await session.flush()
    assert await answers.recover(shared(session)) == [lost.id]


async def test_erasing_the_customer_erases_replies_still_to_be_worded(
    session: AsyncSession, settings: Settings, model: FakeModel
) -> None:
    _later()
    email = "ines.q@example.com"
    await conversation_service.ensure_customer(
        session, email=email, name="Ines Q", tier=Tier.STANDARD
    )
    customer = (await session.execute(select(Customer).where(Customer.email == email))).scalar_one()
    config = bot_service.config_from(settings)
    conversation, _token = await bot_service.start(
        session, identity=None, identity_secret=None, config=config, customer=customer
    )
    question = "how long do refunds take? I'm at 4 Quarry Row"
    await bot_service.receive(
        session, conversation, text=question, client_msg_id="1", config=config
    )
    assert await _pending(session, conversation.id) == 1
    await privacy_service.erase_customer(session, email)
    assert await _pending(session, conversation.id) == 0
    unit = shared(session)
    await answers.write_pending(unit, unit, conversation.id, writer_for(config.llm), config)
    assert model.requests == []  # the question never reaches the model afterwards


async def _pending(session: AsyncSession, conversation_id: str) -> int:
    query = select(func.count(PendingReply.id)).where(
        PendingReply.conversation_id == conversation_id
    )
    return int((await session.execute(query)).scalar_one())


async def test_the_server_answers_after_the_request_while_the_customer_sees_it_typing(
    fresh_database: Database, model: FakeModel
) -> None:
    """End to end, on both databases, through the server's own job runner."""
    engine = create_engine(fresh_database.url)
    async with transaction(create_sessionmaker(engine)) as setup:
        await import_demo_knowledge(setup)
    model.reply = GROUNDED
    model.gate = threading.Event()  # the model answers when the test says
    try:
        async with served(fresh_database.url, model) as http:
            chat = await start_chat(http)
            await chat.say("how long do refunds take?")  # answered 201 with the model held

            async def asked() -> bool:
                return bool(model.requests)

            await eventually(asked)
            timeline = await chat.timeline()
            assert timeline[-1]["kind"] == "conversation.bot_typing"
            assert _answers(timeline) == []
            model.gate.set()

            async def answered() -> bool:
                return bool(_answers(await chat.timeline()))

            await eventually(answered)
            assert (await chat.last_bot_or_system())["text"] == GROUNDED
    finally:
        model.gate.set()
        await engine.dispose()
