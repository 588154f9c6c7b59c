"""Actions over the API: slots across turns, verification, the backend, handoffs, switches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.core.time import utc_now
from tandem.demo.backend import demo_orders
from tandem.routing.models import Handoff
from tests.channels.helpers import Chat, start_chat

SAM = "sam.taylor@example.com"


async def bot_says(chat: Chat, text: str) -> dict[str, Any]:
    await chat.say(text)
    return await chat.last_bot_or_system()


async def order_status(backend_url: str, number: str) -> str:
    """The order's status at the demo backend, as the shop sees it."""
    async with httpx.AsyncClient() as http:
        return str((await http.get(f"{backend_url}/orders/{number}")).json()["status"])


async def asked_to_confirm(chat: Chat, request: str) -> dict[str, Any]:
    """Ask to cancel an order with ``request`` and prove it is yours: the "shall I?" question."""
    await bot_says(chat, request)
    question = await bot_says(chat, SAM)
    assert question["kind"] == "action_confirm"
    return question


async def handoff_of(session: AsyncSession, chat: Chat) -> Handoff:
    return (
        await session.execute(select(Handoff).where(Handoff.conversation_id == chat.id))
    ).scalar_one()


async def test_order_status_asks_for_the_email_then_answers(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    asked = await bot_says(chat, "where is my order 1042?")
    assert asked["kind"] == "action_ask"
    assert "e-mail" in asked["text"]
    answer = await bot_says(chat, SAM)
    assert answer["kind"] == "action_result"
    assert "Order 1042 (Oak side table) is processing" in answer["text"]
    assert answer["quick_replies"] == ["Change my delivery address", "Cancel my order"]
    assert (await chat.status())["status"] == "bot"


async def test_slots_are_filled_one_turn_at_a_time(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    assert "order number" in (await bot_says(chat, "Where's my parcel?"))["text"]
    assert "e-mail" in (await bot_says(chat, "it's 1043"))["text"]
    answer = await bot_says(chat, f"sure, {SAM.upper()}")
    assert "is dispatched with DPD" in answer["text"]


async def test_details_that_do_not_match_are_asked_again_then_go_to_a_person(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "where is my order 1042?")
    retry = await bot_says(chat, "someone@example.com")
    assert "don't match" in retry["text"]
    assert retry["kind"] == "action_ask"
    assert "order number" in retry["text"]
    await bot_says(chat, "1042")
    await bot_says(chat, "someone.else@example.com")
    assert (await chat.status())["status"] == "waiting"
    handoff = await handoff_of(session, chat)
    assert handoff.reasons[0]["code"] == "repeated_failure"
    assert handoff.brief["action"]["outcome"] == "not_verified"


async def test_cancel_before_dispatch_is_done(client: httpx.AsyncClient, backend_url: str) -> None:
    chat = await start_chat(client)
    asked = await asked_to_confirm(chat, "Please cancel my order 1042")
    assert asked["text"].startswith("Just to check: shall I cancel order 1042?")
    assert asked["quick_replies"] == ["Yes", "No"]
    # Nothing is cancelled before the customer says yes.
    assert await order_status(backend_url, "1042") == "processing"
    done = await bot_says(chat, "Yes")
    assert done["text"].startswith("Done: order 1042 is cancelled")
    assert await order_status(backend_url, "1042") == "cancelled"


async def test_cancel_after_dispatch_goes_to_a_person_with_the_details(
    client: httpx.AsyncClient, session: AsyncSession, backend_url: str
) -> None:
    chat = await start_chat(client)
    await asked_to_confirm(chat, "I want to cancel my order 1043")
    told = await bot_says(chat, "yes please")
    assert told["author"] == "system"
    assert "already been dispatched, so I can't cancel it myself" in told["text"]
    assert (await chat.status())["status"] == "waiting"
    handoff = await handoff_of(session, chat)
    assert handoff.reason.value == "adverse_decision"
    action = handoff.brief["action"]
    assert action["name"] == "cancel_order"
    assert action["slots"] == {"order_number": "1043", "email": SAM}
    assert action["outcome"] == "already_dispatched"
    assert action["backend"]["problem"] == "already dispatched"
    assert await order_status(backend_url, "1043") == "dispatched"  # the bot cancelled nothing


async def test_a_quick_reply_reuses_the_verified_order(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "where is my order 1042?")
    await bot_says(chat, SAM)
    asked = await bot_says(chat, "Change my delivery address")
    assert "new delivery address" in asked["text"]
    asked = await bot_says(chat, "14 Oak Lane, York YO1 7HH")
    assert asked["text"] == (
        "Just to check: shall I send order 1042 to 14 Oak Lane, York YO1 7HH instead?"
    )
    done = await bot_says(chat, "Yes")
    assert done["text"] == "Done: order 1042 will go to 14 Oak Lane, York YO1 7HH."


async def test_password_reset_sends_a_link(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    assert "e-mail" in (await bot_says(chat, "I forgot my password"))["text"]
    sent = await bot_says(chat, "sam.taylor@example.com")
    assert "a reset link is on its way" in sent["text"]


async def test_changing_topic_drops_the_action_and_answers(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "where is my order?")
    answer = await bot_says(chat, "how long do refunds take?")
    assert answer["kind"] == "answer"
    assert "business days" in answer["text"]
    after = await bot_says(chat, "1042")  # no longer an answer to a question about an order
    assert after["kind"] != "action_ask"


async def test_never_mind_stops_the_action(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "cancel my order")
    stopped = await bot_says(chat, "never mind")
    assert stopped["text"].startswith("No problem, I've stopped")


async def test_two_fitting_actions_get_a_clarifying_question(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    asked = await bot_says(chat, "cancel my order or change my address")
    assert asked["kind"] == "clarify"
    assert asked["quick_replies"] == ["Cancel my order", "Change my delivery address"]
    chosen = await bot_says(chat, "Cancel my order")
    assert "order number" in chosen["text"]


async def test_asking_for_a_person_mid_action_is_honoured(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "where is my order 1042?")
    await bot_says(chat, "I want to speak to a human")
    assert (await chat.status())["status"] == "waiting"
    assert (await handoff_of(session, chat)).reason.value == "customer_request"


async def test_account_closure_is_verified_by_a_code_then_goes_to_a_person(
    client: httpx.AsyncClient, session: AsyncSession, backend_url: str
) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "please close my account")
    asked = await bot_says(chat, SAM)
    assert "6-digit code" in asked["text"]
    retry = await bot_says(chat, "000000")
    assert "doesn't match" in retry["text"]  # and asks for the e-mail again, for a new code
    await bot_says(chat, SAM)
    async with httpx.AsyncClient() as http:
        code = (await http.get(f"{backend_url}/outbox", params={"email": SAM})).json()["code"]
    told = await bot_says(chat, f"it's {code}")
    assert "request to close the account" in told["text"]
    assert (await chat.status())["status"] == "waiting"
    handoff = await handoff_of(session, chat)
    assert handoff.reason.value == "adverse_decision"
    assert handoff.brief["action"]["name"] == "close_account"
    assert handoff.brief["action"]["slots"]["email"] == SAM
    # The code verified the customer, and is kept nowhere: not in the transcript, not in the brief.
    assert "code" not in handoff.brief["action"]["slots"]
    typed = [m["text"] for m in await chat.messages() if m["author"] == "customer"]
    assert not any(code in t for t in typed)
    assert "it's [code removed]" in typed


async def test_a_follow_up_is_answered_from_the_last_result(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "where is my order 1043?")
    await bot_says(chat, SAM)
    when = await bot_says(chat, "and when will it arrive?")
    # The demo's dates follow today; the shop was made at most a midnight earlier than now.
    etas = {demo_orders(utc_now().date() - timedelta(days=d))["1043"].eta for d in (0, 1)}
    assert when["text"] in {f"Order 1043 should arrive {eta}." for eta in etas}
    who = await bot_says(chat, "which courier?")
    assert who["text"] == "DPD delivers order 1043."


async def test_no_to_the_confirmation_changes_nothing(
    client: httpx.AsyncClient, backend_url: str
) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "Please cancel my order 1042")
    await bot_says(chat, SAM)
    stopped = await bot_says(chat, "no, keep it")
    assert stopped["text"].startswith("No problem, I've stopped")
    assert await order_status(backend_url, "1042") == "processing"
    assert (await chat.status())["status"] == "bot"


async def test_an_order_number_redaction_took_for_a_code_still_fills_the_slot(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    await bot_says(chat, "where is my order?")
    asked = await bot_says(chat, "104232")  # six digits alone: read as a one-time code
    assert "e-mail" in asked["text"]  # the order number was taken; the e-mail comes next
