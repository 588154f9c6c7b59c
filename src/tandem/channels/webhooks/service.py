"""Outgoing webhooks: subscriptions, fan-out of outbox events, signed deliveries with retries.

An event is in the outbox once its transaction commits (``core.outbox``). ``fan_out`` turns
each new event into one delivery per subscription that wants it, in the transaction that
marks the event dispatched, so a crash between the two cannot lose or double it. Deliveries
are leased, posted after commit, and recorded: 2xx is delivered; anything else is retried on
the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then failed, and can
be replayed. Delivery is at least once; receivers deduplicate by ``webhook-id``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.models import User
from tandem.channels.webhooks import destinations, repository, signing
from tandem.channels.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tandem.core.errors import InvalidInputError, NotFoundError
from tandem.core.outbox import OutboxEvent
from tandem.core.time import utc_now

EVENT_TYPES = (
    "conversation.created",
    "conversation.handed_off",
    "conversation.assigned",
    "conversation.transferred",
    "conversation.requeued",
    "conversation.follow_up_requested",
    "conversation.resolved",
    "conversation.reopened",
    "conversation.rated",
    "conversation.ended",
    "message.created",
    "proposal.approved",
)
ALL = "*"
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
LEASE = timedelta(seconds=60)  # longer than a delivery's timeout
KEEP_EVENTS = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A leased delivery to post."""

    id: int
    url: str
    secret: str
    message_id: str
    body: bytes


def _check_url(url: str, *, require_https: bool) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise InvalidInputError("Give the receiver's full URL, e.g. https://example.com/hooks.")
    if require_https and parts.scheme != "https":
        raise InvalidInputError("Webhook URLs must use https in production.")
    if parts.username or parts.password:
        raise InvalidInputError("Leave credentials out of the URL; check the signature instead.")
    return url


def _check_events(events: list[str]) -> list[str]:
    wanted = sorted({e.strip() for e in events if e.strip()})
    if not wanted:
        raise InvalidInputError(f"Name the events to send, or {ALL!r} for all of them.")
    unknown = [e for e in wanted if e != ALL and e not in EVENT_TYPES]
    if unknown:
        raise InvalidInputError(
            f"Unknown event type(s) {', '.join(unknown)}; choose from {', '.join(EVENT_TYPES)}."
        )
    return [ALL] if ALL in wanted else wanted


async def do_subscribe(
    session: AsyncSession,
    *,
    url: str,
    events: list[str],
    description: str = "",
    user: User | None,
    require_https: bool,
    public_only: bool = False,
) -> WebhookSubscription:
    """Subscribe ``url`` to ``events``; its signing secret is on the returned subscription.

    ``public_only`` refuses a URL that resolves to a private or loopback address.
    """
    url = _check_url(url, require_https=require_https)
    if public_only and (refused := await destinations.refusal(url)) is not None:
        raise InvalidInputError(f"This URL cannot receive webhooks: {refused}.")
    subscription = WebhookSubscription(
        url=url,
        events=_check_events(events),
        secret=signing.new_secret(),
        description=description.strip()[:200],
        created_by=user.id if user else None,
    )
    session.add(subscription)
    await session.flush()
    await audit.record(
        session, "webhook.subscribed", actor=user, target=subscription.url, id=subscription.id
    )
    return subscription


async def get_subscription(session: AsyncSession, subscription_id: int) -> WebhookSubscription:
    subscription = await repository.get_subscription(session, subscription_id)
    if subscription is None:
        raise NotFoundError(f"No webhook subscription {subscription_id}.")
    return subscription


async def do_unsubscribe(session: AsyncSession, subscription_id: int) -> None:
    """Stop sending to a subscription; its pending deliveries are dropped with it."""
    subscription = await get_subscription(session, subscription_id)
    await audit.record(session, "webhook.unsubscribed", target=subscription.url, id=subscription.id)
    await session.delete(subscription)
    await session.flush()


async def subscriptions(session: AsyncSession) -> list[WebhookSubscription]:
    return list(await repository.list_subscriptions(session))


def wants(subscription: WebhookSubscription, event_type: str) -> bool:
    return ALL in subscription.events or event_type in subscription.events


async def fan_out(session: AsyncSession, *, limit: int = 500) -> int:
    """Turn new outbox events into deliveries; return how many deliveries were created."""
    events = await repository.undispatched(session, limit=limit)
    if not events:
        return 0
    active = await repository.list_subscriptions(session, active_only=True)
    now = utc_now()
    created = 0
    for event in events:
        if not await repository.mark_dispatched(session, event.id, at=now):
            continue  # another process fans it out
        for subscription in active:
            if wants(subscription, event.type):
                session.add(
                    WebhookDelivery(
                        subscription_id=subscription.id,
                        event_id=event.id,
                        status=DeliveryStatus.PENDING,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
                created += 1
    await session.flush()
    return created


async def work_waiting(session: AsyncSession, *, now: datetime) -> tuple[bool, bool]:
    """Whether events wait for fan-out, and deliveries are due (read only: no write lock)."""
    return await repository.any_undispatched(session), await repository.any_due(session, now=now)


def body_of(event: OutboxEvent) -> bytes:
    """The JSON posted for an event: ``{"type", "timestamp", "data"}``."""
    return json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")).encode()


async def lease_due(session: AsyncSession, *, now: datetime, limit: int = 50) -> list[Outgoing]:
    """Take the deliveries due now; another process skips them until the lease ends."""
    leased: list[Outgoing] = []
    for delivery, subscription, event in await repository.due_deliveries(
        session, now=now, limit=limit
    ):
        if await repository.lease_delivery(
            session, delivery.id, attempts=delivery.attempts, until=now + LEASE
        ):
            leased.append(
                Outgoing(
                    id=delivery.id,
                    url=subscription.url,
                    secret=subscription.secret,
                    message_id=event.event_id,
                    body=body_of(event),
                )
            )
    return leased


def retry_delay(attempts: int) -> timedelta | None:
    """Wait before the next try after ``attempts`` failed ones; None: give up."""
    return RETRY_DELAYS[attempts - 1] if 1 <= attempts <= len(RETRY_DELAYS) else None


async def record_attempt(
    session: AsyncSession, delivery_id: int, *, status_code: int | None, error: str | None
) -> DeliveryStatus:
    """Record a try: delivered on 2xx, otherwise retried later or, after the last, failed."""
    delivery = await repository.get_delivery(session, delivery_id)
    if delivery is None:  # its subscription was deleted meanwhile
        return DeliveryStatus.FAILED
    now = utc_now()
    delivery.last_status_code = status_code
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        delivery.next_attempt_at, delivery.last_error = None, None
    else:
        delivery.last_error = (error or f"the receiver answered {status_code}")[:2000]
        delay = retry_delay(delivery.attempts)
        if delay is None:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt_at = now + delay
    await session.flush()
    return delivery.status


async def do_replay(session: AsyncSession, delivery_id: int) -> WebhookDelivery:
    """Send a delivery's event again, now, as a new delivery with the same ``webhook-id``."""
    original = await repository.get_delivery(session, delivery_id)
    if original is None:
        raise NotFoundError(f"No webhook delivery {delivery_id}.")
    replay = WebhookDelivery(
        subscription_id=original.subscription_id,
        event_id=original.event_id,
        status=DeliveryStatus.PENDING,
        next_attempt_at=utc_now(),
    )
    session.add(replay)
    await session.flush()
    await audit.record(session, "webhook.replayed", target=str(delivery_id), id=replay.id)
    return replay


async def deliveries(
    session: AsyncSession,
    *,
    subscription_id: int | None = None,
    status: DeliveryStatus | None = None,
    limit: int = 100,
) -> list[tuple[WebhookDelivery, OutboxEvent]]:
    """The latest deliveries, newest first, with their events."""
    return list(
        await repository.recent_deliveries(
            session, subscription_id=subscription_id, status=status, limit=limit
        )
    )


async def purge(session: AsyncSession, *, now: datetime) -> int:
    """Forget dispatched events (and their deliveries) older than 30 days."""
    return await repository.purge_events_before(session, now - KEEP_EVENTS)
