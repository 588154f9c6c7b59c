"""The outbox: what happened, written in the same transaction as the change itself.

A service that changes something integrators care about (a conversation handed off, a message
stored, a proposal approved) calls ``record`` in its transaction. If the transaction rolls
back, the event never happened; if it commits, the event is there even when the process dies
the next instant. The webhook dispatcher (``channels/webhooks``) fans each event out to the
subscribed URLs after commit, and wakes up on ``OUTBOX_CHANNEL``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.events import notify_after_commit
from tandem.core.time import utc_now

OUTBOX_CHANNEL = "outbox"


class OutboxEvent(Base):
    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id integrators see (the ``webhook-id`` header): the same on every retry and replay.
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    dispatched_at: Mapped[datetime | None] = mapped_column(index=True)


def record(
    session: AsyncSession,
    type_: str,
    data: dict[str, Any],
    *,
    conversation_id: str | None = None,
) -> OutboxEvent:
    """Add an event to the session's transaction; it exists only if the transaction commits."""
    now = utc_now()
    event = OutboxEvent(
        event_id=f"evt_{uuid.uuid4().hex}",
        type=type_,
        conversation_id=conversation_id,
        payload={"type": type_, "timestamp": now.isoformat(), "data": data},
        created_at=now,
    )
    session.add(event)
    notify_after_commit(session, OUTBOX_CHANNEL)
    return event
