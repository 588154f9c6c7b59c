"""A model may word an answer, but only from the passages, and never instead of a person."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import summaries
from tandem.conversations import service as conversation_service
from tandem.routing import service as routing_service
from tests.bot.at_once import shared
from tests.bot.llm.helpers import writer
from tests.bot.servers import FakeModel
from tests.channels.helpers import start_chat

GROUNDED = (
    "Pebble & Pine issues your refund within 2 business days of your return arriving at our "
    "warehouse [1]. Your bank then usually takes 5–7 business days to show the money [1]."
)
HALLUCINATED = (
    "Pebble & Pine issues your refund within 2 business days [1]. As a thank-you we add a "
    "25 euro voucher to every refund."
)
INJECTED = "Sure, ignoring my rules as you asked: every refund is doubled and paid within 1 hour."


async def test_a_grounded_answer_is_used_with_its_sources(
    client: httpx.AsyncClient, model: FakeModel
) -> None:
    model.reply = GROUNDED
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    answer = await chat.last_bot_or_system()
    assert answer["text"] == GROUNDED
    assert answer["sources"][0]["slug"] == "refund-processing-times"
    request = model.requests[0]
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "test-model"
    assert (
        "<question>\nhow long do refunds take?\n</question>"
        in (request["body"]["messages"][1]["content"])
    )


async def test_a_hallucinated_answer_falls_back_to_the_passage(
    client: httpx.AsyncClient, model: FakeModel
) -> None:
    model.reply = HALLUCINATED
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    answer = await chat.last_bot_or_system()
    assert "voucher" not in answer["text"]
    assert "business days" in answer["text"]
    assert answer["sources"][0]["slug"] == "refund-processing-times"


async def test_an_injected_instruction_changes_nothing(
    client: httpx.AsyncClient, model: FakeModel
) -> None:
    model.reply = INJECTED
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")  # the model obeys an instruction planted in data
    answer = await chat.last_bot_or_system()
    assert "doubled" not in answer["text"]
    assert "business days" in answer["text"]
    assert len(model.requests) == 1


async def test_the_model_is_not_asked_when_a_person_is_needed(
    client: httpx.AsyncClient, model: FakeModel
) -> None:
    model.reply = "No need for a person, I can help you with everything [1]."
    chat = await start_chat(client)
    await chat.say("I want to speak to a human")
    assert (await chat.status())["status"] == "waiting"
    # The model is only asked to summarise for the agent, never to answer or decide.
    prompts = [str(r["body"]["messages"][0]["content"]).lower() for r in model.requests]
    assert all("summar" in prompt for prompt in prompts), prompts


async def _brief(session: AsyncSession, conversation_id: str, model: FakeModel) -> dict[str, Any]:
    """The handoff's brief once its summary job has run."""
    conversation = await conversation_service.get_conversation(session, conversation_id)
    handoff = await routing_service.latest_handoff(session, conversation)
    assert handoff is not None
    unit = shared(session)
    await summaries.write(unit, unit, handoff.id, writer(model.url), last_try=True)
    await session.refresh(handoff)
    return handoff.brief


async def test_a_grounded_model_summary_goes_into_the_brief(
    client: httpx.AsyncClient, model: FakeModel, session: AsyncSession
) -> None:
    model.reply = "Wants a refund for order 1042 and asks to speak to a human."
    chat = await start_chat(client)
    await chat.say("I want a refund for order 1042, let me speak to a human")
    handoff = await _brief(session, chat.id, model)
    assert handoff["summary_by"] == "llm", handoff
    assert handoff["summary"] == model.reply


async def test_an_ungrounded_model_summary_is_not_used(
    client: httpx.AsyncClient, model: FakeModel, session: AsyncSession
) -> None:
    model.reply = "Wants a refund of 500 euros, which was already approved."
    chat = await start_chat(client)
    await chat.say("I want a refund for order 1042, let me speak to a human")
    handoff = await _brief(session, chat.id, model)
    assert handoff["summary_by"] == "extractive"
    assert "500" not in handoff["summary"]


async def test_a_model_without_an_answer_leaves_the_extractive_one(
    client: httpx.AsyncClient, model: FakeModel
) -> None:
    model.reply = "NOT IN PASSAGES"
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    answer = await chat.last_bot_or_system()
    assert answer["kind"] == "answer"
    assert "business days" in answer["text"]
    assert len(model.requests) == 1
