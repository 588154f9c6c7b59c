"""An action's backend calls run in a job after the customer's request, never inside it.

The request stores the message and leaves a pending reply (the customer sees the bot typing);
the job makes the calls with no transaction open, then replies or hands off. A person who has
the conversation by then gets it untouched, and a write whose job died during its call is
never made twice: a person checks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import answers
from tandem.bot import service as bot_service
from tandem.config import Settings
from tandem.conversations import pending as pending_replies
from tandem.conversations.models import ConversationEvent, EventKind, PendingReply
from tandem.demo.backend import create_backend
from tandem.routing.models import Handoff
from tests.bot.at_once import shared
from tests.bot.dialogue.test_dialogue import order_status
from tests.bot.servers import serve
from tests.channels.helpers import Chat, start_chat

SAM = "sam.taylor@example.com"


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def backend_url(calls: list[str]) -> Iterator[str]:
    """The demo backend, recording each call it gets."""
    app: FastAPI = create_backend()

    @app.middleware("http")
    async def record(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        calls.append(f"{request.method} {request.url.path}")
        return await call_next(request)

    with serve(app) as url:
        yield url


@pytest.fixture
def actions_at_once() -> None:
    """No job runs by itself here: each test runs it when it says."""


RunJob = Callable[[Chat], Awaitable[int]]


@pytest.fixture
def run_job(session: AsyncSession, settings: Settings) -> RunJob:
    """Run the conversation's reply job now, on the test's session, as the runner would."""
    config = bot_service.config_from(settings)

    async def run(chat: Chat) -> int:
        unit = shared(session)
        return await answers.write_pending(unit, unit, chat.id, None, config)

    return run


async def _pending(session: AsyncSession, chat: Chat) -> list[PendingReply]:
    query = select(PendingReply).where(PendingReply.conversation_id == chat.id)
    return list((await session.execute(query)).scalars())


async def _ready_to_cancel(client: httpx.AsyncClient, order: str) -> Chat:
    chat = await start_chat(client)
    await chat.say(f"Please cancel my order {order}")
    await chat.say(SAM)
    await chat.say("yes")  # confirmed: the action is ready to run
    return chat


async def test_the_request_leaves_the_calls_to_a_job_that_replies_once(
    client: httpx.AsyncClient, session: AsyncSession, run_job: RunJob, calls: list[str]
) -> None:
    chat = await start_chat(client)
    await chat.say("where is my order 1042?")
    await chat.say(SAM)
    assert calls == []  # not called while the customer's request ran
    [pending] = await _pending(session, chat)
    assert pending.data["kind"] == "action"
    assert pending.data["pending"]["slots"] == {"order_number": "1042", "email": SAM}
    typing = select(ConversationEvent).where(
        ConversationEvent.conversation_id == chat.id,
        ConversationEvent.kind == EventKind.BOT_TYPING,
    )
    assert (await session.execute(typing)).scalars().first() is not None
    assert (await chat.last_bot_or_system())["kind"] == "action_ask"  # no reply yet

    assert await run_job(chat) == 1
    assert calls == ["POST /verify", "GET /orders/1042"]
    answer = await chat.last_bot_or_system()
    assert answer["kind"] == "action_result"
    assert "Order 1042 (Oak side table) is processing" in answer["text"]
    # Run again (a retried or duplicated job): nothing is called, nothing is said.
    assert await run_job(chat) == 0
    assert len(calls) == 2
    assert await _pending(session, chat) == []


async def test_a_message_sent_before_the_reply_does_not_run_the_action_again(
    client: httpx.AsyncClient, session: AsyncSession, run_job: RunJob, calls: list[str]
) -> None:
    chat = await _ready_to_cancel(client, "1042")
    await chat.say("yes")  # sent again while the bot is typing: the reply on its way answers it
    assert len(await _pending(session, chat)) == 1
    assert await run_job(chat) == 1
    assert calls.count("POST /orders/1042/cancel") == 1


async def test_an_action_is_not_run_once_a_person_has_the_conversation(
    client: httpx.AsyncClient, session: AsyncSession, run_job: RunJob, backend_url: str
) -> None:
    chat = await _ready_to_cancel(client, "1042")
    await chat.say("actually I want to talk to a person")
    assert (await chat.status())["status"] == "waiting"
    assert await run_job(chat) == 0
    assert await _pending(session, chat) == []
    assert await order_status(backend_url, "1042") == "processing"


async def test_a_write_whose_job_died_during_its_call_is_not_made_again(
    client: httpx.AsyncClient, session: AsyncSession, run_job: RunJob, backend_url: str
) -> None:
    chat = await _ready_to_cancel(client, "1042")
    [pending] = await _pending(session, chat)
    # A job marked the write started, then died (kill -9) before it could say anything.
    await pending_replies.mark_pending_reply_started(session, pending.id)
    assert await run_job(chat) == 1
    assert (await chat.status())["status"] == "waiting"
    handoff = (
        await session.execute(select(Handoff).where(Handoff.conversation_id == chat.id))
    ).scalar_one()
    assert "may have happened" in handoff.reasons[0]["evidence"]
    assert handoff.brief["action"]["outcome"] == "interrupted"
    assert handoff.brief["action"]["slots"] == {"order_number": "1042", "email": SAM}
    assert await order_status(backend_url, "1042") == "processing"  # the person checks
