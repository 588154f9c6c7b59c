"""API shapes for the human queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from tandem.routing.models import HandoffStatus


class HandoffRead(BaseModel):
    id: int
    conversation_id: str
    status: HandoffStatus
    queue: str
    priority: int
    reason: str
    reasons: list[dict[str, Any]]
    brief: dict[str, Any]
    created_at: datetime
    claimed_at: datetime | None
    claimed_by: int | None
    claimed_by_name: str | None = None
    customer_name: str | None = None
    customer_tier: str | None = None
    last_seq: int = 0
