"""Find conversations for the agent API: filters, words in the messages, cursor pagination.

Newest activity first. A page's cursor names the last conversation it returned (its last
activity and id), so the next page starts right after it however many conversations arrive
meanwhile; the cursor is opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import (
    Conversation,
    ConversationStatus,
    Customer,
    Message,
)
from tandem.core.errors import InvalidInputError

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class Filters:
    status: ConversationStatus | None = None
    channel: str | None = None
    assigned_to: int | None = None
    customer_email: str | None = None
    text: str | None = None  # words that appear in one of its messages


@dataclass(frozen=True, slots=True)
class Page:
    items: Sequence[tuple[Conversation, Customer]]
    next_cursor: str | None


def encode_cursor(conversation: Conversation) -> str:
    raw = json.dumps([conversation.updated_at.isoformat(), conversation.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, conversation_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return datetime.fromisoformat(at), str(conversation_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidInputError(
            "The cursor is not one this API gave out; start again without it."
        ) from error


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search(
    session: AsyncSession, filters: Filters, *, cursor: str | None = None, limit: int = 25
) -> Page:
    """Return one page of conversations matching ``filters``, newest activity first."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInputError(f"limit must be between 1 and {MAX_PAGE}.")
    query = select(Conversation, Customer).join(Customer, Customer.id == Conversation.customer_id)
    if filters.status is not None:
        query = query.where(Conversation.status == filters.status)
    if filters.channel:
        query = query.where(Conversation.channel == filters.channel)
    if filters.assigned_to is not None:
        query = query.where(Conversation.assigned_agent_id == filters.assigned_to)
    if filters.customer_email:
        query = query.where(Customer.email == filters.customer_email.strip().lower())
    if filters.text and filters.text.strip():
        said = select(Message.id).where(
            Message.conversation_id == Conversation.id,
            func.lower(Message.text).like(_like(filters.text.strip()), escape="\\"),
        )
        query = query.where(said.exists())
    if cursor is not None:
        at, last_id = decode_cursor(cursor)
        query = query.where(
            or_(
                Conversation.updated_at < at,
                and_(Conversation.updated_at == at, Conversation.id < last_id),
            )
        )
    query = query.order_by(Conversation.updated_at.desc(), Conversation.id.desc()).limit(limit + 1)
    rows = [(row[0], row[1]) for row in (await session.execute(query)).all()]
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, encode_cursor(items[-1][0]) if more and items else None)
