"""Webhooks on real databases: events written with the change, fan-out, retries, replay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.channels.webhooks import service
from tandem.channels.webhooks.models import DeliveryStatus, WebhookDelivery
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author
from tandem.core.errors import InvalidInputError
from tandem.core.outbox import OutboxEvent
from tandem.core.time import utc_now
from tandem.privacy import service as privacy_service

URL = "https://crm.example.com/hooks"


async def _events(session: AsyncSession) -> list[OutboxEvent]:
    return list((await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))).scalars())


async def _subscribe(session: AsyncSession, events: list[str]) -> int:
    subscription = await service.do_subscribe(
        session, url=URL, events=events, user=None, require_https=True
    )
    return subscription.id


async def _start(session: AsyncSession) -> str:
    conversation, _customer, _token = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None
    )
    return conversation.id


async def test_changes_write_their_events_in_the_same_transaction(session: AsyncSession) -> None:
    before = len(await _events(session))
    conversation_id = await _start(session)
    conversation = await conversation_service.get_conversation(session, conversation_id)
    await conversation_service.append_message(
        session, conversation, author=Author.CUSTOMER, text="Where is my order?"
    )
    new = (await _events(session))[before:]
    assert [e.type for e in new] == ["conversation.created", "message.created"]
    message = new[1].payload
    assert message["type"] == "message.created"
    assert message["data"]["text"] == "Where is my order?"
    assert message["data"]["author"] == "customer"
    assert message["data"]["conversation_id"] == conversation_id
    assert all(e.event_id.startswith("evt_") for e in new)


async def test_a_rolled_back_change_leaves_no_event(session: AsyncSession) -> None:
    before = len(await _events(session))
    nested = await session.begin_nested()
    await _start(session)
    await nested.rollback()
    assert len(await _events(session)) == before


async def test_fan_out_sends_each_event_to_the_subscriptions_that_want_it(
    session: AsyncSession,
) -> None:
    await service.fan_out(session)  # what earlier tests left
    every = await _subscribe(session, ["*"])
    handoffs = await _subscribe(session, ["conversation.created"])
    await _start(session)
    assert await service.fan_out(session) == 2
    assert await service.fan_out(session) == 0  # an event is fanned out once
    rows = (await session.execute(select(WebhookDelivery))).scalars().all()
    by_subscription = {(d.subscription_id, d.status) for d in rows}
    assert by_subscription == {
        (every, DeliveryStatus.PENDING),
        (handoffs, DeliveryStatus.PENDING),
    }


@pytest.mark.parametrize(
    ("url", "events", "message"),
    [
        pytest.param("ftp://x.example.com", ["*"], "full URL", id="not-http"),
        pytest.param("http://crm.example.com/h", ["*"], "https", id="plain-http-in-production"),
        pytest.param("https://u:p@crm.example.com/h", ["*"], "credentials", id="credentials"),
        pytest.param(URL, ["conversation.exploded"], "Unknown event", id="unknown-event"),
        pytest.param(URL, [" "], "Name the events", id="no-events"),
    ],
)
async def test_a_subscription_that_cannot_work_is_refused(
    session: AsyncSession, url: str, events: list[str], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        await service.do_subscribe(session, url=url, events=events, user=None, require_https=True)


async def _leased_one(session: AsyncSession) -> int:
    await service.fan_out(session)
    await _subscribe(session, ["conversation.created"])
    await _start(session)
    await service.fan_out(session)
    leased = await service.lease_due(session, now=utc_now(), limit=1000)
    assert leased
    assert leased[-1].body.startswith(b'{"type":"conversation.created"')
    return leased[-1].id


async def test_a_2xx_is_delivered_and_not_sent_again(session: AsyncSession) -> None:
    delivery_id = await _leased_one(session)
    status = await service.record_attempt(session, delivery_id, status_code=204, error=None)
    assert status is DeliveryStatus.DELIVERED
    later = await service.lease_due(session, now=utc_now() + timedelta(days=2), limit=1000)
    assert delivery_id not in [o.id for o in later]


async def test_a_failing_receiver_is_retried_on_the_standard_schedule_then_given_up(
    session: AsyncSession,
) -> None:
    delivery_id = await _leased_one(session)
    assert await service.record_attempt(session, delivery_id, status_code=503, error=None) is (
        DeliveryStatus.PENDING
    )
    leased_now = await service.lease_due(session, now=utc_now(), limit=1000)
    assert delivery_id not in [o.id for o in leased_now]  # not before the 5 s
    delays = [service.retry_delay(n) for n in range(1, 9)]
    assert [d.total_seconds() if d else None for d in delays] == [
        5, 300, 1800, 7200, 18000, 36000, 36000, None,
    ]  # fmt: skip
    delivery = await session.get(WebhookDelivery, delivery_id)
    assert delivery is not None
    delivery.attempts = len(service.RETRY_DELAYS) + 1
    status = await service.record_attempt(session, delivery_id, status_code=None, error="refused")
    assert status is DeliveryStatus.FAILED
    assert delivery.last_error == "refused"


async def test_a_replay_sends_the_same_event_again(session: AsyncSession) -> None:
    delivery_id = await _leased_one(session)
    await service.record_attempt(session, delivery_id, status_code=200, error=None)
    again = await service.do_replay(session, delivery_id)
    original = await session.get(WebhookDelivery, delivery_id)
    assert original is not None
    assert again.event_id == original.event_id
    assert again.status is DeliveryStatus.PENDING
    leased = await service.lease_due(session, now=utc_now(), limit=1000)
    assert again.id in [o.id for o in leased]


async def test_old_dispatched_events_are_forgotten(session: AsyncSession) -> None:
    await _start(session)
    await service.fan_out(session)
    assert await service.purge(session, now=utc_now() + timedelta(days=31)) >= 1
    assert await _events(session) == []


async def test_erasing_a_customer_clears_their_unsent_webhook_payloads(
    session: AsyncSession,
) -> None:
    conversation, customer, _token = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None
    )
    customer.email = "erase-me@customer.test"
    await conversation_service.append_message(
        session, conversation, author=Author.CUSTOMER, text="my card is 4111 ..."
    )
    await privacy_service.erase_customer(session, "erase-me@customer.test")
    payloads = [e.payload for e in await _events(session) if e.conversation_id == conversation.id]
    assert payloads
    assert all(p["data"] == {"conversation_id": conversation.id, "erased": True} for p in payloads)
