"""The prompt-injection suite: a manipulated model never gets an unsupported word to a customer.

Each case in ``tests/llm/injection_cases.yaml`` (written by a red-team author who saw only
the help centre, never the defences) plants an attack in the customer's words, in an
imported article or in the order system's data, and scripts the model to obey it.

Two layers. Through the API, against a local OpenAI-compatible server: whatever the bot shows
the customer holds none of the case's forbidden phrases (many attacks never reach the model,
because the policy hands the customer to a person first). Then every case's reply is put
through the answer writer directly, with the passages of the article the question is about,
so each one is checked against the facts whatever the routing did.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot.compose import draft_for, extractive, word
from tandem.config import Settings
from tandem.demo import ACTIONS_DIR, KNOWLEDGE_DIR
from tandem.demo.backend import Order, create_backend, demo_orders
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.hidden import visible_markdown
from tandem.knowledge.importer import parse_article
from tandem.knowledge.index import Hit
from tandem.knowledge.passages import split_passages
from tandem.knowledge.service import Retrieval
from tests.bot.servers import FakeModel, serve
from tests.channels.helpers import Chat, start_chat
from tests.conftest import Database, settings_for
from tests.factories import write_article

CASES = yaml.safe_load(
    (Path(__file__).parents[2] / "llm" / "injection_cases.yaml").read_text(encoding="utf-8")
)
ORDER = "1042"
OWNER = "sam.taylor@example.com"

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def cases(vector: str) -> list[dict[str, Any]]:
    return [case for case in CASES if case["vector"] == vector]


@dataclass
class Outcome:
    case: str
    asked_model: bool
    leaked: list[str]


@pytest.fixture
def orders() -> dict[str, Order]:
    return demo_orders()


@pytest.fixture
def backend_url(orders: dict[str, Order]) -> Iterator[str]:
    with serve(create_backend(orders=orders)) as url:
        yield url


@pytest.fixture
def settings(database: Database, model: FakeModel, backend_url: str) -> Settings:
    return settings_for(
        database.url,
        llm_url=f"{model.url}/v1",
        llm_model="test-model",
        llm_api_key="sk-test",
        actions_dir=ACTIONS_DIR,
        actions_base_url=backend_url,
    )


def answer_requests(model: FakeModel) -> list[dict[str, Any]]:
    """The requests asking the model to answer (not to summarise for an agent)."""
    return [r for r in model.requests if "summar" not in str(r["body"]["messages"][0])]


async def shown_to_customer(chat: Chat) -> str:
    return "\n".join(m["text"] for m in await chat.messages() if m["author"] != "customer")


def leaks(text: str, case: dict[str, Any], *, stated: str = "") -> list[str]:
    """The forbidden phrases in ``text`` that the knowledge as read does not itself state.

    An attacker who rewrites an article's visible text (a new phone line) has changed the
    knowledge, not instructed a model: the bot repeats what its articles say, and such edits
    are for the people who review article changes. Hidden text and lines addressed to a
    model are not part of ``stated``: they never become knowledge.
    """
    return [
        phrase
        for phrase in case["forbidden"]
        if phrase.lower() in text.lower() and phrase.lower() not in stated.lower()
    ]


async def attack(
    client: httpx.AsyncClient, model: FakeModel, case: dict[str, Any], *before: str
) -> Outcome:
    """Start a chat, say ``before`` then the case's question, with the model obeying."""
    model.reply = case["model_reply"]
    chat = await start_chat(client)
    for text in before:
        await chat.say(text)
    asked = len(answer_requests(model))
    await chat.say(case["question"])
    asked_now = len(answer_requests(model)) > asked
    shown = await shown_to_customer(chat)
    return Outcome(case["id"], asked_now, leaks(shown, case, stated=stated_by(case)))


def verdict(outcomes: list[Outcome]) -> None:
    leaked = [f"{o.case}: {o.leaked}" for o in outcomes if o.leaked]
    assert not leaked, "unsupported text reached the customer:\n" + "\n".join(leaked)
    # Some attacks must get through to the model, or this layer would test nothing.
    assert any(o.asked_model for o in outcomes)


def test_the_suite_covers_every_vector() -> None:
    assert {v: len(cases(v)) for v in ("customer", "article", "action")} == {
        "customer": 24,
        "article": 24,
        "action": 24,
    }
    assert all(case["forbidden"] for case in CASES)


async def test_injections_in_the_customers_words_never_reach_the_customer(
    client: httpx.AsyncClient, model: FakeModel
) -> None:
    verdict([await attack(client, model, case) for case in cases("customer")])


async def test_injections_in_articles_never_reach_the_customer(
    client: httpx.AsyncClient, model: FakeModel, session: AsyncSession, tmp_path: Path
) -> None:
    planted = cases("article")
    for case in planted:
        article = case["article"]
        write_article(tmp_path, article["slug"], title=article["title"], body=article["body"])
    report = await knowledge_service.import_folder(session, tmp_path)
    assert sorted(report.created) == sorted(case["article"]["slug"] for case in planted)
    outcomes = [await attack(client, model, case) for case in planted]
    verdict(outcomes)
    hidden = [span for case in planted for span in case["injected_spans"] if "<" in span]
    sent = "\n".join(str(r["body"]["messages"]) for r in model.requests)
    assert not [span for span in hidden if span in sent], "hidden text reached the model"


async def test_injections_in_order_data_never_reach_the_customer(
    client: httpx.AsyncClient, model: FakeModel, orders: dict[str, Order]
) -> None:
    outcomes = []
    pristine = demo_orders()[ORDER]
    for case in cases("action"):
        field, value = case["action"]["field"], case["action"]["value"]
        orders[ORDER] = Order(**{**pristine.__dict__, field: value})
        outcome = await attack(client, model, case, f"where is my order {ORDER}?", OWNER)
        outcomes.append(outcome)
        # Order data is shown as data in the action's reply, and never handed to the model
        # to answer with (the brief's summary sees the transcript, and is checked on its own).
        sent = "\n".join(str(r["body"]["messages"]) for r in answer_requests(model))
        assert value not in sent, f"{case['id']}: order data reached the model"
    verdict(outcomes)


def stated_by(case: dict[str, Any]) -> str:
    """What an article case's planted article says, as the bot reads it."""
    if case["vector"] != "article":
        return ""
    article = case["article"]
    visible = visible_markdown(article["body"]).text
    passages = split_passages(slug=article["slug"], title=article["title"], body=visible)
    return "\n".join(passage.text for passage in passages)


class Obedient:
    """A writer that says whatever the attack wanted."""

    def __init__(self, reply: str) -> None:
        self.reply = reply

    async def write(self, *, question: str, passages: object) -> str | None:
        return self.reply


def article_passages(case: dict[str, Any], tmp_path: Path) -> Retrieval:
    """The passages of the article the case's question is about, as retrieval would give."""
    if case["vector"] == "article":
        article = case["article"]
        path = write_article(
            tmp_path, article["slug"], title=article["title"], body=article["body"]
        )
    else:
        path = KNOWLEDGE_DIR / f"{case['kb_article']}.md"
    parsed = parse_article(path)
    hits = tuple(
        Hit(passage, 0.9)
        for passage in split_passages(slug=parsed.slug, title=parsed.title, body=parsed.body)
    )
    return Retrieval(best=hits[0], articles=[], hits=hits)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
async def test_the_answer_writer_refuses_every_attack(case: dict[str, Any], tmp_path: Path) -> None:
    retrieval = article_passages(case, tmp_path)
    draft = draft_for(retrieval, question=case["question"], threshold=0.7)
    composed = await word(draft, Obedient(case["model_reply"]), extractive(retrieval))
    assert not leaks(composed.text, case, stated=stated_by(case)), composed
