"""API shapes for the human queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

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


class NoteCreate(BaseModel):
    text: str = Field(min_length=1, max_length=2000, description="@name mentions a colleague.")


class NoteRead(BaseModel):
    id: int
    author_name: str
    text: str
    mentions: list[str]
    created_at: datetime


class LabelCreate(BaseModel):
    label: str = Field(
        max_length=200,
        description=(
            'Stored trimmed, lower-case, spaces as "-" ("Refund request" is refund-request): '
            "1 to 40 letters (any script), digits, - and _."
        ),
    )


class LabelsRead(BaseModel):
    conversation_id: str
    labels: list[str] = Field(description="Alphabetically.")
