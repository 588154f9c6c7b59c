"""The brief's model summary is written by a job after the handoff, never during it.

The handoff reaches the queue at once with the extractive summary, marked pending; the job asks
the model with no transaction open and keeps its summary only when it passes the checks. A
model that cannot be reached is asked again, and after the last try the extractive summary
stays. Summaries whose job was lost are queued again.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tandem.bot import summaries
from tandem.conversations import service as conversation_service
from tandem.core.db import create_engine
from tandem.core.time import utc_now
from tandem.llm.provider import ModelUnavailableError
from tandem.privacy import service as privacy_service
from tandem.routing import service as routing_service
from tandem.routing.models import Handoff, SummaryState
from tests.bot.at_once import shared
from tests.bot.llm.helpers import served, summary_requests, writer
from tests.bot.servers import FakeModel
from tests.channels.helpers import start_chat
from tests.conftest import Database
from tests.live import free_port
from tests.waiting import eventually

GROUNDED = "The customer says the parcel for order PP-7781 arrived damaged."
UNGROUNDED = "The customer was promised a refund of 500 euros for order PP-7781."


async def _handed_off(client: httpx.AsyncClient, session: AsyncSession) -> Handoff:
    chat = await start_chat(client)
    await chat.say("my parcel arrived damaged, order #PP-7781")
    await chat.say("I want to speak to a human")
    conversation = await conversation_service.get_conversation(session, chat.id)
    handoff = await routing_service.latest_handoff(session, conversation)
    assert handoff is not None
    return handoff


async def test_the_handoff_does_not_ask_the_model_and_its_job_writes_the_summary(
    client: httpx.AsyncClient, session: AsyncSession, model: FakeModel
) -> None:
    handoff = await _handed_off(client, session)
    assert summary_requests(model) == []  # not asked while the customer's request ran
    assert handoff.summary_state is SummaryState.PENDING
    assert handoff.brief["summary_by"] == "extractive"
    assert "PP-7781" in handoff.brief["summary"]
    model.reply = GROUNDED
    unit = shared(session)
    assert await summaries.write(unit, unit, handoff.id, writer(model.url), last_try=False) == (
        SummaryState.WRITTEN
    )
    await session.refresh(handoff)
    assert (handoff.brief["summary"], handoff.brief["summary_by"]) == (GROUNDED, "llm")
    assert handoff.brief["reasons"]  # the rest of the brief is kept
    [request] = summary_requests(model)
    transcript = request["body"]["messages"][1]["content"]
    assert "PP-7781" in transcript
    assert "speak to a human" in transcript
    # Run again (a retried or duplicated job): nothing is asked, nothing changes.
    assert await summaries.write(unit, unit, handoff.id, writer(model.url), last_try=False) is None
    assert len(summary_requests(model)) == 1


async def test_a_summary_that_fails_the_checks_leaves_the_extractive_one(
    client: httpx.AsyncClient, session: AsyncSession, model: FakeModel
) -> None:
    handoff = await _handed_off(client, session)
    extractive = handoff.brief["summary"]
    model.reply = UNGROUNDED
    unit = shared(session)
    state = await summaries.write(unit, unit, handoff.id, writer(model.url), last_try=False)
    assert state is SummaryState.REFUSED
    await session.refresh(handoff)
    assert (handoff.brief["summary"], handoff.brief["summary_by"]) == (extractive, "extractive")


async def test_a_model_that_cannot_be_reached_is_asked_again_until_the_last_try(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    handoff = await _handed_off(client, session)
    down = writer(f"http://127.0.0.1:{free_port()}")
    unit = shared(session)
    with pytest.raises(ModelUnavailableError):  # the job queue retries it later
        await summaries.write(unit, unit, handoff.id, down, last_try=False)
    await session.refresh(handoff)
    assert handoff.summary_state is SummaryState.PENDING
    assert await summaries.write(unit, unit, handoff.id, down, last_try=True) == (
        SummaryState.FAILED
    )
    await session.refresh(handoff)
    assert handoff.brief["summary_by"] == "extractive"


class Broken:
    async def summarise(self, *, transcript: Any, strict: bool = False) -> str | None:
        raise ValueError("the model's reply could not be read")


async def test_a_broken_model_is_not_asked_again(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    handoff = await _handed_off(client, session)
    unit = shared(session)
    state = await summaries.write(unit, unit, handoff.id, Broken(), last_try=False)
    assert state is SummaryState.FAILED
    await session.refresh(handoff)
    assert handoff.brief["summary_by"] == "extractive"


async def test_summaries_whose_job_was_lost_are_found_again(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    lost = await _handed_off(client, session)
    await _handed_off(client, session)  # its job is still to come
    forgotten = await _handed_off(client, session)
    lost.created_at = utc_now() - summaries.LATE - timedelta(seconds=5)
    forgotten.created_at = utc_now() - summaries.TOO_OLD - timedelta(minutes=1)
    await session.flush()
    # A fresh one still has its job coming; one older than a day stays extractive.
    assert await summaries.recover(shared(session)) == [lost.id]


async def test_erasing_the_customer_while_the_model_writes_keeps_nothing_it_wrote(
    client: httpx.AsyncClient, session: AsyncSession, model: FakeModel
) -> None:
    handoff = await _handed_off(client, session)
    conversation = await conversation_service.get_conversation(session, handoff.conversation_id)
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    customer.email = email = "ines.r@example.com"
    await session.flush()
    model.reply = GROUNDED
    model.gate = threading.Event()  # the model is still writing when the erasure comes
    unit = shared(session)
    job = asyncio.create_task(
        summaries.write(unit, unit, handoff.id, writer(model.url), last_try=False)
    )

    async def asked() -> bool:
        return len(summary_requests(model)) == 1

    await eventually(asked)
    assert await privacy_service.erase_customer(session, email) == 1
    model.gate.set()
    assert await job is None  # nothing recorded
    await session.refresh(handoff)
    assert handoff.summary_state is None
    assert handoff.brief == {}  # the summary the model wrote never reaches the erased brief
    assert await summaries.write(unit, unit, handoff.id, writer(model.url), last_try=False) is None
    assert len(summary_requests(model)) == 1  # and it is not asked again


async def _state(engine: AsyncEngine, handoff_id: int) -> tuple[Any, ...]:
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(Handoff.summary_state, Handoff.brief).where(Handoff.id == handoff_id)
            )
        ).one()
    return (row.summary_state, row.brief["summary_by"], row.brief["summary"])


async def test_the_server_queues_the_job_after_commit_and_runs_it_while_the_customer_waits(
    fresh_database: Database, model: FakeModel
) -> None:
    """End to end, on both databases: a slow model holds neither the handoff nor its request."""
    model.reply = GROUNDED
    engine = create_engine(fresh_database.url)
    try:
        async with served(fresh_database.url, model) as http:
            chat = await start_chat(http)
            await chat.say("my parcel arrived damaged, order #PP-7781")
            model.gate = threading.Event()  # from now on the model answers when the test says
            await chat.say("I want to speak to a human")
            assert (await chat.status())["status"] == "waiting"
            async with engine.connect() as connection:
                handoff_id = (await connection.execute(select(Handoff.id))).scalar_one()
            # The job asked the model, which has not answered: the handoff stands meanwhile.
            await eventually(lambda: _asked(model))
            state, by, summary = await _state(engine, handoff_id)
            assert (state, by) == (SummaryState.PENDING, "extractive")
            assert "PP-7781" in summary
            model.gate.set()  # it answers

            async def written() -> bool:
                return (await _state(engine, handoff_id))[:2] == (SummaryState.WRITTEN, "llm")

            await eventually(written)
    finally:
        if model.gate is not None:
            model.gate.set()
        await engine.dispose()


async def _asked(model: FakeModel) -> bool:
    return bool(summary_requests(model))
