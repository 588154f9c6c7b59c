"""Two articles that fit equally well get a question with quick replies, not a coin toss."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.knowledge import service as knowledge_service
from tests.channels.helpers import start_chat


async def test_close_articles_get_a_clarifying_question(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # Two articles on one topic, as help centres that grew have (the audit flags them too).
    for slug, title in (("outdoor-cushions", "Outdoor cushions"), ("outdoor-rugs", "Outdoor rugs")):
        await knowledge_service.do_publish_article(
            session,
            slug=slug,
            title=title,
            body=f"{title} are sold from March to September.",
            tags=[],
        )
    chat = await start_chat(client)
    await chat.say("when can I buy outdoor rugs or cushions")
    asked = await chat.last_bot_or_system()
    assert asked["kind"] == "clarify"
    assert sorted(asked["quick_replies"]) == ["Outdoor cushions", "Outdoor rugs"]
    await chat.say("Outdoor rugs")  # the quick reply's text
    answer = await chat.last_bot_or_system()
    assert answer["kind"] == "answer"
    assert answer["sources"][0]["title"] == "Outdoor rugs"


async def test_a_question_in_an_articles_own_words_is_answered(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    assert (await chat.last_bot_or_system())["kind"] == "answer"
