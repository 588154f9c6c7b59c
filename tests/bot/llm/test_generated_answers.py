"""A model may word an answer, but only from the passages, and never instead of a person."""

from __future__ import annotations

import httpx

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
    assert model.requests == []


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
