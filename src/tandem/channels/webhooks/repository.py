"""Queries for webhook subscriptions, the outbox's undispatched events and the deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.channels.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tandem.core.outbox import OutboxEvent


async def list_subscriptions(
    session: AsyncSession, *, active_only: bool = False
) -> Sequence[WebhookSubscription]:
    query = select(WebhookSubscription).order_by(WebhookSubscription.id)
    if active_only:
        query = query.where(WebhookSubscription.active.is_(True))
    return (await session.execute(query)).scalars().all()


async def get_subscription(
    session: AsyncSession, subscription_id: int
) -> WebhookSubscription | None:
    return await session.get(WebhookSubscription, subscription_id)


async def undispatched(session: AsyncSession, *, limit: int) -> Sequence[OutboxEvent]:
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.dispatched_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def any_undispatched(session: AsyncSession) -> bool:
    query = select(OutboxEvent.id).where(OutboxEvent.dispatched_at.is_(None)).limit(1)
    return (await session.execute(query)).first() is not None


async def any_due(session: AsyncSession, *, now: datetime) -> bool:
    query = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .limit(1)
    )
    return (await session.execute(query)).first() is not None


async def mark_dispatched(session: AsyncSession, event_id: int, *, at: datetime) -> bool:
    """Claim an event for fan-out; False if another process claimed it first."""
    result = await session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id == event_id, OutboxEvent.dispatched_at.is_(None))
        .values(dispatched_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def due_deliveries(
    session: AsyncSession, *, now: datetime, limit: int
) -> Sequence[tuple[WebhookDelivery, WebhookSubscription, OutboxEvent]]:
    query = (
        select(WebhookDelivery, WebhookSubscription, OutboxEvent)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .execution_options(populate_existing=True)  # leases are taken by UPDATE, not the ORM
    )
    return [(d, s, e) for d, s, e in (await session.execute(query)).all()]


async def lease_delivery(
    session: AsyncSession, delivery_id: int, *, attempts: int, until: datetime
) -> bool:
    """Take a due delivery until ``until``; False if another process took it."""
    result = await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.attempts == attempts,
        )
        .values(next_attempt_at=until, attempts=WebhookDelivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def get_delivery(session: AsyncSession, delivery_id: int) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery_id, populate_existing=True)


async def recent_deliveries(
    session: AsyncSession,
    *,
    subscription_id: int | None,
    status: DeliveryStatus | None,
    limit: int,
) -> Sequence[tuple[WebhookDelivery, OutboxEvent]]:
    query = (
        select(WebhookDelivery, OutboxEvent)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if subscription_id is not None:
        query = query.where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    return [(d, e) for d, e in (await session.execute(query)).all()]


async def purge_events_before(session: AsyncSession, before: datetime) -> int:
    """Delete dispatched events (and their deliveries) older than ``before``."""
    result = await session.execute(
        delete(OutboxEvent).where(
            OutboxEvent.dispatched_at.is_not(None), OutboxEvent.created_at < before
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
