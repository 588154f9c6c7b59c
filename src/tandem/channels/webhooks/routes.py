"""The webhook API: admins subscribe URLs to events, watch deliveries and replay them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field

from tandem.auth.deps import CurrentAdmin
from tandem.channels.webhooks import service
from tandem.channels.webhooks.models import DeliveryStatus, WebhookSubscription
from tandem.core.deps import MAX_ROW_ID, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class SubscriptionCreate(BaseModel):
    url: str = Field(max_length=2000, examples=["https://crm.example.com/tandem-hooks"])
    events: list[str] = Field(
        min_length=1,
        max_length=50,
        examples=[["conversation.handed_off", "conversation.resolved"]],
        description=f"Event types, or ['*'] for all: {', '.join(service.EVENT_TYPES)}.",
    )
    description: str = Field(default="", max_length=200)


class SubscriptionRead(BaseModel):
    id: int
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionRead):
    secret: str = Field(description="whsec_...: verify each delivery's webhook-signature with it.")


class DeliveryRead(BaseModel):
    id: int
    subscription_id: int
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


def _read(subscription: WebhookSubscription) -> SubscriptionRead:
    return SubscriptionRead(
        id=subscription.id,
        url=subscription.url,
        events=[str(e) for e in subscription.events],
        description=subscription.description,
        active=subscription.active,
        created_at=subscription.created_at,
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def subscribe(
    body: SubscriptionCreate, agent: CurrentAdmin, session: SessionDep, settings: SettingsDep
) -> SubscriptionCreated:
    """Subscribe a URL to events; the answer holds the signing secret (shown only here)."""
    subscription = await service.do_subscribe(
        session,
        url=body.url,
        events=body.events,
        description=body.description,
        user=agent,
        require_https=settings.environment == "production",
        public_only=settings.webhooks_public_only,
    )
    return SubscriptionCreated(**_read(subscription).model_dump(), secret=subscription.secret)


@router.get("")
async def list_subscriptions(agent: CurrentAdmin, session: SessionDep) -> list[SubscriptionRead]:
    return [_read(s) for s in await service.subscriptions(session)]


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(subscription_id: RowId, agent: CurrentAdmin, session: SessionDep) -> None:
    """Stop sending to this URL; its pending deliveries are dropped."""
    await service.do_unsubscribe(session, subscription_id)


@router.get("/deliveries")
async def list_deliveries(
    agent: CurrentAdmin,
    session: SessionDep,
    subscription_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    status_is: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryRead]:
    """The latest deliveries, newest first: what was sent where, and how it went."""
    rows = await service.deliveries(
        session, subscription_id=subscription_id, status=status_is, limit=limit
    )
    return [
        DeliveryRead(
            id=d.id,
            subscription_id=d.subscription_id,
            event_id=e.event_id,
            event_type=e.type,
            status=d.status,
            attempts=d.attempts,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            next_attempt_at=d.next_attempt_at,
            delivered_at=d.delivered_at,
            created_at=d.created_at,
        )
        for d, e in rows
    ]


@router.post("/deliveries/{delivery_id}/replay", status_code=status.HTTP_202_ACCEPTED)
async def replay(delivery_id: RowId, agent: CurrentAdmin, session: SessionDep) -> dict[str, int]:
    """Send the delivery's event again now (same ``webhook-id``, so receivers can dedupe)."""
    again = await service.do_replay(session, delivery_id)
    return {"id": again.id}
