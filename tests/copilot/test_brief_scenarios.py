"""The agent never asks again: every fact a customer gave the bot is in the rendered brief."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import import_demo_knowledge

# Each scripted conversation ends in a handoff; ``facts`` is what the agent must see.
SCENARIOS = [
    pytest.param(
        ["where is my order 10452?", "it was due on Monday", "I want to speak to a human"],
        ["10452"],
        id="order-then-person",
    ),
    pytest.param(
        [
            "my parcel arrived damaged, order #PP-7781",
            "you can email me at sam.jones@example.com",
            "can I talk to someone please",
        ],
        ["PP-7781", "s***@example.com"],
        id="damaged-with-email",
    ),
    pytest.param(
        [
            "do you sell garden sheds?",
            "call me on +44 7700 900123 about order 5521",
            "what is the name of your CEO?",
        ],
        ["+44 ****** 123", "5521"],
        id="two-misses-with-phone",
    ),
    pytest.param(
        [
            "I have a question about a payment for order number 88812",
            "my other address is ann.lee@example.org and my phone 07700 900456",
            "this is ridiculous, get me a manager",
        ],
        ["88812", "a***@example.org", "****** 456"],
        id="angry-double-charge",
    ),
]


def _brief_text(html: str) -> str:
    section = re.search(r'data-testid="brief".*?</section>', html, re.S)
    assert section is not None
    return unescape(re.sub(r"<[^>]+>", " ", section.group(0)))


@pytest.mark.parametrize(("script", "facts"), SCENARIOS)
async def test_every_fact_the_customer_gave_is_in_the_brief(
    client: httpx.AsyncClient,
    other_client: httpx.AsyncClient,
    session: AsyncSession,
    script: list[str],
    facts: list[str],
) -> None:
    await import_demo_knowledge(session)
    chat = await start_chat(other_client)
    for text in script:
        await chat.say(text)
    assert (await chat.status())["status"] == "waiting"
    await log_in_agent(client, session)
    page = await client.get(f"/console/conversations/{chat.id}")
    assert page.status_code == 200, page.text
    brief = _brief_text(page.text)
    missing = [fact for fact in facts if fact not in brief]
    assert missing == [], brief
    # Contact details are masked: the full address or number never reaches the page.
    assert "sam.jones@" not in brief
    assert "900123" not in brief
