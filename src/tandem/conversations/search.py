"""Find conversations and customers: filters, words, cursor pagination.

Conversations come newest activity first. A page's cursor names the last conversation it
returned (its last activity and id), so the next page starts right after it however many
conversations arrive meanwhile; the cursor is opaque to clients. Text is matched literally
and whatever its case, in any script (``core.matching``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import add

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
)
from tandem.core.errors import InvalidInputError
from tandem.core.matching import contains, starts_with

MAX_PAGE = 100
# A word finds a conversation by its id only from this long: two or three letters would find
# every id that happens to hold them ("ad", "bed" and "cafe" are hexadecimal).
MIN_ID_CHARS = 8


@dataclass(frozen=True, slots=True)
class Filters:
    status: ConversationStatus | None = None
    channel: str | None = None
    assigned_to: int | None = None
    customer_email: str | None = None
    text: str | None = None  # words that appear in one of its messages
    # Each is in a message (not Tandem's own notices), the customer's name or e-mail, or is
    # the beginning of the conversation's id.
    words: tuple[str, ...] = ()
    customer_id: int | None = None
    live_only: bool = False  # leave out erased conversations
    statuses: tuple[ConversationStatus, ...] = ()  # any of these


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


def _said(word: str) -> ColumnElement[bool]:
    """A message of the conversation, by a person or the bot, holds ``word``."""
    said = select(Message.id).where(
        Message.conversation_id == Conversation.id,
        Message.author != Author.SYSTEM,
        contains(Message.text, word),
    )
    return said.exists()


def _found(word: str) -> ColumnElement[bool]:
    places = [
        _said(word),
        contains(Customer.name, word),
        contains(Customer.email, word),
        contains(Conversation.contact_name, word),
        contains(Conversation.contact_email, word),
    ]
    if len(word) >= MIN_ID_CHARS:
        places.append(starts_with(Conversation.id, word))
    return or_(*places)


def conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """What a conversation (joined with its customer) must satisfy to match ``filters``."""
    found: list[ColumnElement[bool]] = []
    if filters.status is not None:
        found.append(Conversation.status == filters.status)
    if filters.statuses:
        found.append(Conversation.status.in_(filters.statuses))
    if filters.channel:
        found.append(Conversation.channel == filters.channel)
    if filters.assigned_to is not None:
        found.append(Conversation.assigned_agent_id == filters.assigned_to)
    if filters.customer_email:
        found.append(Customer.email == filters.customer_email.strip().lower())
    if filters.text and filters.text.strip():
        said = select(Message.id).where(
            Message.conversation_id == Conversation.id,
            contains(Message.text, filters.text.strip()),
        )
        found.append(said.exists())
    if filters.customer_id is not None:
        found.append(Conversation.customer_id == filters.customer_id)
    if filters.live_only:
        found.append(Conversation.erased_at.is_(None))
    found.extend(_found(word) for word in filters.words)
    return found


async def search(
    session: AsyncSession, filters: Filters, *, cursor: str | None = None, limit: int = 25
) -> Page:
    """Return one page of conversations matching ``filters``, newest activity first."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInputError(f"limit must be between 1 and {MAX_PAGE}.")
    query = (
        select(Conversation, Customer)
        .join(Customer, Customer.id == Conversation.customer_id)
        .where(*conditions(filters))
    )
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


@dataclass(frozen=True, slots=True)
class Said:
    """The message a search result shows: where, by whom, and what it says."""

    conversation_id: str
    seq: int
    author: Author
    text: str


async def best_messages(
    session: AsyncSession, conversation_ids: Sequence[str], words: Sequence[str]
) -> dict[str, Said]:
    """For each conversation, its message (not a notice of Tandem's) holding the most of
    ``words``, the latest of equals; conversations where none holds one are left out. With no
    words, each one's latest message. One query, whatever the number of conversations or
    messages."""
    if not conversation_ids:
        return {}
    holds = [contains(Message.text, word) for word in words]
    order = [Message.seq.desc()]
    if holds:
        order.insert(0, reduce(add, [case((held, 1), else_=0) for held in holds]).desc())
    rank = (
        func.row_number().over(partition_by=Message.conversation_id, order_by=order).label("rank")
    )
    ranked = (
        select(Message.conversation_id, Message.seq, Message.author, Message.text, rank)
        .where(
            Message.conversation_id.in_(set(conversation_ids)),
            Message.author != Author.SYSTEM,
            or_(*holds) if holds else true(),
        )
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.conversation_id, ranked.c.seq, ranked.c.author, ranked.c.text).where(
            ranked.c.rank == 1
        )
    )
    return {row[0]: Said(row[0], row[1], row[2], row[3]) for row in rows.all()}


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    customer: Customer
    conversations: int  # not erased


async def find_customers(
    session: AsyncSession, words: Sequence[str], *, limit: int
) -> list[CustomerMatch]:
    """Customers whose name or e-mail holds each of ``words``, latest activity first, with
    how many conversations of theirs are not erased. Erased customers have neither, so none
    is found."""
    if not words:
        return []
    live = and_(Conversation.customer_id == Customer.id, Conversation.erased_at.is_(None))
    count = func.count(Conversation.id)
    query = (
        select(Customer, count)
        .outerjoin(Conversation, live)
        .where(*(or_(contains(Customer.name, w), contains(Customer.email, w)) for w in words))
        .group_by(Customer.id)
        .order_by(func.max(Conversation.updated_at).desc().nulls_last(), Customer.id.desc())
        .limit(limit)
    )
    return [CustomerMatch(row[0], row[1]) for row in (await session.execute(query)).all()]
