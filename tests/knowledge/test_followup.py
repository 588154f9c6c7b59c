"""Which messages are read together with the previous question, and when that reading wins."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge.followup import prefer_follow_up, reads_as_follow_up, with_previous
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import RetrievalIndex
from tandem.knowledge.service import build_index
from tests.channels.helpers import start_chat
from tests.factories import import_demo_knowledge


@pytest.fixture(scope="module")
def index() -> RetrievalIndex:
    return build_index((a.slug, a.title, tuple(a.tags), a.body) for a in read_folder(KNOWLEDGE_DIR))


def test_an_unanswered_sentence_of_a_dozen_words_is_read_with_the_previous_question() -> None:
    follow_up = "What if the meter was swapped for a new one last week?"
    assert reads_as_follow_up(follow_up, [], threshold=0.7)  # words only: by length
    assert with_previous("How do I send you a meter reading?", follow_up).endswith(follow_up)


def test_a_paragraph_stands_on_its_own() -> None:
    paragraph = (
        "I moved into a new flat in Leeds last month and the previous tenant left a prepayment "
        "meter that I would like to swap for a normal one as soon as possible"
    )
    assert not reads_as_follow_up(paragraph, [], threshold=0.7)


@pytest.mark.parametrize(
    "text",
    [
        "and to Canada?",
        "what about a rug?",
        "for teachers too?",
        "E con una prepagata Mastercard?",
        "A czy dotrze w sobotę?",
        "et si ma commande fait 48 € ?",
    ],
)
def test_the_model_reads_an_elliptical_message_as_depending_on_the_one_before(
    index: RetrievalIndex, text: str
) -> None:
    assert index.depends_on_previous(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "Do you sell garden sheds?",
        "Can I pay with bitcoin?",
        "refund please",
        "I'm asking about the start date of the return period.",
        "Ordered 3 November, delivered 12 November. Which of those dates starts the clock?",
    ],
)
def test_the_model_reads_a_message_that_stands_alone_as_a_new_question(
    index: RetrievalIndex, text: str
) -> None:
    assert index.depends_on_previous(text) is False


def test_the_models_reading_decides_over_the_length() -> None:
    assert not reads_as_follow_up("Do you sell garden sheds?", [], threshold=0.7, depends=False)
    long = "and what if it is the one I ordered for my sister in the spring sale last year?"
    assert reads_as_follow_up(long, [], threshold=0.7, depends=True)


@pytest.mark.parametrize(
    ("own", "combined", "bar", "taken"),
    [
        pytest.param(0.40, 0.60, 0.45, True, id="surer and above the bar"),
        pytest.param(0.40, 0.60, 0.70, False, id="surer but below the bar"),
        pytest.param(0.64, 0.55, 0.45, False, id="the message alone is surer"),
    ],
)
def test_the_combined_reading_is_taken_when_surer_and_above_the_bar(
    own: float, combined: float, bar: float, taken: bool
) -> None:
    assert prefer_follow_up(own, combined, bar=bar) is taken


async def _reply_to(
    client: httpx.AsyncClient, session: AsyncSession, *turns: str
) -> dict[str, Any]:
    """The bot's last message after the customer says ``turns`` in a new chat."""
    await import_demo_knowledge(session)
    chat = await start_chat(client)
    for text in turns:
        await chat.say(text)
    return await chat.last_bot_or_system()


async def test_a_new_question_is_not_answered_from_the_previous_topic(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # Read with the question before it, the second one found the delivery times (0.75).
    reply = await _reply_to(
        client, session, "how long does delivery take?", "Do you sell garden sheds?"
    )
    assert reply["kind"] == "not_sure", reply["text"]


async def test_a_follow_up_found_only_with_the_previous_question_is_shown_not_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # Alone, "and to Greece?" is below the tentative line; read with the question before it,
    # the delivery articles are likely enough to show.
    reply = await _reply_to(
        client, session, "How long does standard delivery take to Germany?", "and to Greece?"
    )
    assert reply["kind"] == "answer", reply["text"]
    assert reply["sources"][0]["slug"] in {"shipping-countries", "delivery-times"}
