"""Two articles that fit equally well get a question with quick replies, not a coin toss."""

from __future__ import annotations

import httpx

from tests.channels.helpers import start_chat


async def test_close_articles_get_a_clarifying_question(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await chat.say("tracking just says label created, what does that mean")
    asked = await chat.last_bot_or_system()
    assert asked["kind"] == "clarify"
    assert asked["quick_replies"] == [
        "How do I track my order?",
        "What does my order status mean?",
    ]
    await chat.say("What does my order status mean?")  # the quick reply's text
    answer = await chat.last_bot_or_system()
    assert answer["kind"] == "answer"
    assert answer["sources"][0]["title"] == "What does my order status mean?"


async def test_a_question_in_an_articles_own_words_is_answered(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    assert (await chat.last_bot_or_system())["kind"] == "answer"
