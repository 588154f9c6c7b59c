"""The customer's side of the hybrid loop, over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import messages
from tandem.config import Settings
from tandem.conversations.models import Tier
from tandem.conversations.service import ensure_customer
from tandem.core.security import sign
from tests.channels.helpers import Chat, start_chat
from tests.factories import import_demo_knowledge


@pytest.fixture(autouse=True)
async def demo_knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


async def test_a_new_conversation_is_greeted_by_a_bot_that_says_it_is_an_ai(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    [greeting] = await chat.messages()
    assert greeting["author"] == "bot"
    assert "an AI, not a person" in greeting["text"]
    assert "talk to a person" in greeting["text"]


@pytest.mark.parametrize(
    ("body", "headers", "language"),
    [
        pytest.param({"language": "de"}, {}, "de", id="the page's language"),
        pytest.param({"language": "pt-BR"}, {"Accept-Language": "fr"}, "pt", id="over the header"),
        pytest.param({}, {"Accept-Language": "ja, fr-CH;q=0.8, en;q=0.5"}, "fr", id="header"),
        pytest.param({"language": "ja"}, {}, "en", id="a language the bot does not speak"),
    ],
)
async def test_the_greeting_is_in_the_customers_language(
    client: httpx.AsyncClient,
    settings: Settings,
    body: dict[str, str],
    headers: dict[str, str],
    language: str,
) -> None:
    response = await client.post("/api/v1/conversations", json=body, headers=headers)
    assert response.status_code == 201, response.text
    chat = Chat(client, response.json()["id"], response.json()["token"])
    [greeting] = await chat.messages()
    assert greeting["text"] == messages.greeting(settings.company_name, language)


async def test_a_language_that_is_not_a_tag_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/conversations", json={"language": "<script>"})
    assert response.status_code == 422


async def test_a_covered_question_is_answered_from_the_knowledge_base_with_its_source(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    turn = await chat.say("how long do refunds take?")
    assert turn["handed_off"] is False
    answer = await chat.last_bot_or_system()
    assert answer["kind"] == "answer"
    assert "business days" in answer["text"]
    assert answer["sources"] == [
        {
            "title": "How long do refunds take?",
            "slug": "refund-processing-times",
            "url": "/kb/refund-processing-times",
        }
    ]
    assert answer["confidence"] >= 0.33
    article = await client.get(answer["sources"][0]["url"])
    assert article.status_code == 200
    assert "How long do refunds take?" in article.text


async def test_an_uncovered_question_gets_an_honest_not_sure_then_a_person(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    first = await chat.say("do you sell garden sheds?")
    assert first["handed_off"] is False
    not_sure = await chat.last_bot_or_system()
    assert not_sure["kind"] == "not_sure"
    assert not_sure["text"].startswith("I'm not sure")
    assert len(not_sure["suggestions"]) <= 3

    second = await chat.say("what is the name of your CEO?")
    assert second["handed_off"] is True
    handoff = [i for i in await chat.timeline() if i.get("kind") == "conversation.handed_off"]
    assert handoff[0]["data"]["reason"] == "repeated_failure"
    told = await chat.last_bot_or_system()
    assert told["author"] == "system"
    assert "person" in told["text"]

    # No loop: once handed off the bot says nothing more; the customer is told they were heard.
    before = len(await chat.messages())
    await chat.say("hello?")
    after = await chat.messages()
    assert [(m["author"], m["kind"]) for m in after[before:]] == [
        ("customer", None),
        ("system", "waiting_ack"),
    ]


async def test_a_good_answer_resets_the_miss_count(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await chat.say("do you sell garden sheds?")
    await chat.say("how long do refunds take?")
    turn = await chat.say("what is the name of your CEO?")
    assert turn["handed_off"] is False


@pytest.mark.parametrize(
    "text",
    [
        "I want to speak to a human",
        "agent",
        "representative please",
        "can I talk to a real person",
        "operator",
        "stop, human please",
        "i need a humna",
        "let me speak to a reprsentative",
    ],
)
async def test_asking_for_a_person_hands_off_in_the_same_turn(
    client: httpx.AsyncClient, text: str
) -> None:
    chat = await start_chat(client)
    turn = await chat.say(text)
    assert turn["handed_off"] is True
    assert turn["queue"]["position"] >= 1
    events = [i for i in await chat.timeline() if i.get("kind") == "conversation.handed_off"]
    assert events[0]["data"]["reason"] == "customer_request"
    assert events[0]["data"]["reasons"][0]["evidence"]
    told = await chat.last_bot_or_system()
    assert "person from our team" in told["text"]
    assert "online" in told["text"] or "wait" in told["text"]


@pytest.mark.parametrize(
    ("text", "reason", "evidence"),
    [
        pytest.param(
            "This is ridiculous, I've asked three times and nobody helps!",
            "negative_emotion",
            "",
            id="angry",
        ),
        pytest.param(
            "My husband passed away last month and I need to cancel his order",
            "sensitive_topic",
            "bereavement",
            id="bereavement",
        ),
        pytest.param(
            "Someone used my card to order things I never bought, this is fraud",
            "sensitive_topic",
            "fraud",
            id="fraud",
        ),
        pytest.param(
            "The lamp caught fire and my son burned his hand, we were at the hospital",
            "sensitive_topic",
            "health",
            id="medical",
        ),
        pytest.param(
            "If this isn't fixed by Friday my lawyer will be in touch",
            "sensitive_topic",
            "legal",
            id="legal-threat",
        ),
    ],
)
async def test_emotion_and_sensitive_topics_go_to_a_person_with_evidence(
    client: httpx.AsyncClient, text: str, reason: str, evidence: str
) -> None:
    chat = await start_chat(client)
    turn = await chat.say(text)
    assert turn["handed_off"] is True
    [event] = [i for i in await chat.timeline() if i.get("kind") == "conversation.handed_off"]
    codes = [r["code"] for r in event["data"]["reasons"]]
    assert reason in codes
    evidence_text = " ".join(r["evidence"] for r in event["data"]["reasons"])
    assert evidence in evidence_text
    assert evidence_text.strip()


async def test_the_talk_to_a_person_button_always_works_and_only_once(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    first = await client.post(f"/api/v1/conversations/{chat.id}/handoff", headers=chat.headers)
    assert first.status_code == 200
    assert first.json()["status"] == "waiting"
    assert first.json()["queue"]["position"] == 1
    again = await client.post(f"/api/v1/conversations/{chat.id}/handoff", headers=chat.headers)
    assert again.status_code == 200
    handoffs = [i for i in await chat.timeline() if i.get("kind") == "conversation.handed_off"]
    assert len(handoffs) == 1


async def test_resending_a_client_message_id_is_a_no_op(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    first = await chat.say("how long do refunds take?", client_msg_id="abc-1")
    before = await chat.timeline()
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        json={"text": "how long do refunds take?", "client_msg_id": "abc-1"},
        headers=chat.headers,
    )
    assert response.status_code == 200
    assert response.json()["duplicate"] is True
    assert response.json()["message"]["seq"] == first["message"]["seq"]
    assert await chat.timeline() == before


async def test_sequence_numbers_are_gapless_and_resume_returns_only_what_was_missed(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    seen = await chat.timeline()
    assert [i["seq"] for i in seen] == list(range(1, len(seen) + 1))
    await chat.say("do you deliver to norway?")
    missed = await chat.timeline(after=seen[-1]["seq"])
    assert [i["seq"] for i in missed] == list(range(len(seen) + 1, len(seen) + 1 + len(missed)))
    assert missed[0]["text"] == "do you deliver to norway?"


async def test_a_customer_can_never_read_another_customers_conversation(
    client: httpx.AsyncClient,
) -> None:
    alice = await start_chat(client)
    bob = await start_chat(client)
    for path in ("", "/events", "/messages"):
        response = await client.get(f"/api/v1/conversations/{alice.id}{path}", headers=bob.headers)
        assert response.status_code == 404
        assert "No such conversation" in response.json()["error"]["message"]
    response = await client.post(
        f"/api/v1/conversations/{alice.id}/messages",
        json={"text": "hi", "client_msg_id": "x"},
        headers=bob.headers,
    )
    assert response.status_code == 404
    assert (await client.get(f"/api/v1/conversations/{alice.id}")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"text": "   ", "client_msg_id": "a"}, id="blank-text"),
        pytest.param({"text": "x" * 4001, "client_msg_id": "a"}, id="too-long"),
        pytest.param({"text": "hi"}, id="no-client-id"),
        pytest.param({"text": "hi", "client_msg_id": "has spaces"}, id="bad-client-id"),
        pytest.param({"text": "hi", "client_msg_id": "a", "extra": 1}, id="unknown-field"),
    ],
)
async def test_malformed_messages_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    chat = await start_chat(client)
    before = await chat.timeline()
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/messages", json=body, headers=chat.headers
    )
    assert response.status_code == 422
    assert await chat.timeline() == before


async def test_rating_is_refused_before_resolution(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/rating", json={"score": 5}, headers=chat.headers
    )
    assert response.status_code == 409
    assert "resolved" in response.json()["error"]["message"]


async def test_a_verified_vip_jumps_to_high_priority(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await ensure_customer(session, email="vera@example.com", name="Vera", tier=Tier.VIP)
    signature = sign("test-identity-secret", "vera@example.com")
    vip = await start_chat(client, {"email": "vera@example.com", "signature": signature})
    turn = await vip.say("agent please")
    [event] = [i for i in await vip.timeline() if i.get("kind") == "conversation.handed_off"]
    assert [r["code"] for r in event["data"]["reasons"]] == ["customer_request", "vip"]
    assert event["data"]["priority"] == 2
    assert turn["queue"]["position"] == 1


async def test_an_unverified_email_does_not_unlock_a_vip_tier(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await ensure_customer(session, email="vera@example.com", name="Vera", tier=Tier.VIP)
    impostor = await start_chat(client, {"email": "vera@example.com", "signature": "0" * 64})
    await impostor.say("agent please")
    [event] = [i for i in await impostor.timeline() if i.get("kind") == "conversation.handed_off"]
    assert [r["code"] for r in event["data"]["reasons"]] == ["customer_request"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quiero hablar con una persona, por favor", "persona"),
        ("Ich möchte bitte mit einem Menschen sprechen", "Person"),
        ("我要人工客服", "人"),
    ],
)
async def test_the_handoff_is_told_in_the_customers_language(
    client: httpx.AsyncClient, text: str, expected: str
) -> None:
    chat = await start_chat(client)
    turn = await chat.say(text)
    assert turn["handed_off"] is True
    told = await chat.last_bot_or_system()
    assert expected in told["text"]
    assert "person from our team" not in told["text"]


async def test_a_language_the_bot_cannot_read_gets_an_honest_reply(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    await chat.say("Здравствуйте, где мой заказ? Он должен был прийти вчера")
    told = await chat.last_bot_or_system()
    assert "can't read that language" in told["text"]
    assert "Talk to a person" in told["text"]
