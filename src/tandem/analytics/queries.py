"""The SQL behind every report: one fact row per conversation and per handoff.

The database does the per-conversation work (counting messages, finding the first reply, the
first resolution, the customer's next contact); ``metrics.py`` then aggregates the rows. No
date arithmetic happens in SQL, so SQLite and PostgreSQL give identical rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tandem.analytics.facts import ConversationFact, HandoffFact, topic_of
from tandem.analytics.filters import Filters
from tandem.auth.models import User
from tandem.conversations import repository as conversation_repository
from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationEvent,
    Customer,
    EventKind,
    Message,
)
from tandem.knowledge.models import Article
from tandem.routing.models import Handoff


def _conditions(filters: Filters, *, with_queue: bool = True) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Conversation.created_at >= filters.start,
        Conversation.created_at < filters.end,
    ]
    if filters.channel:
        conditions.append(Conversation.channel == filters.channel)
    if filters.tier:
        conditions.append(Customer.tier == filters.tier)
    if filters.queue and with_queue:
        conditions.append(
            exists().where(
                Handoff.conversation_id == Conversation.id, Handoff.queue == filters.queue
            )
        )
    return conditions


def _scope(filters: Filters) -> Select[Any]:
    return (
        select(Conversation.id)
        .join(Customer, Customer.id == Conversation.customer_id)
        .where(*_conditions(filters))
    )


def _conversation_query(filters: Filters) -> Select[Any]:
    scope = _scope(filters)
    kind = Message.data["kind"].as_string()
    from_customer = Message.author == Author.CUSTOMER
    bot_reply = and_(Message.author == Author.BOT, func.coalesce(kind, "") != "greeting")
    messages = (
        select(
            Message.conversation_id.label("conversation_id"),
            func.sum(case((from_customer, 1), else_=0)).label("customer_messages"),
            func.sum(case((bot_reply, 1), else_=0)).label("bot_replies"),
            func.min(case((from_customer, Message.seq))).label("first_customer_seq"),
            func.min(case((from_customer, Message.created_at))).label("first_customer_at"),
            func.min(case((bot_reply, Message.seq))).label("first_bot_reply_seq"),
        )
        .where(Message.conversation_id.in_(scope))
        .group_by(Message.conversation_id)
        .subquery("m")
    )
    # Per conversation, not over a second copy of ``messages``: a range of the
    # (conversation, seq) index after the first customer message.
    reply = aliased(Message, name="reply")
    first_reply = (
        select(func.min(reply.created_at))
        .where(
            reply.conversation_id == Conversation.id,
            reply.seq > messages.c.first_customer_seq,
            reply.author.in_([Author.BOT, Author.AGENT]),
        )
        .correlate(Conversation, messages)
        .scalar_subquery()
    )
    events = (
        select(
            ConversationEvent.conversation_id.label("conversation_id"),
            func.min(
                case((ConversationEvent.kind == EventKind.RESOLVED, ConversationEvent.created_at))
            ).label("resolved_at"),
            func.min(
                case((ConversationEvent.kind == EventKind.REOPENED, ConversationEvent.created_at))
            ).label("reopened_at"),
        )
        .where(
            ConversationEvent.conversation_id.in_(scope),
            ConversationEvent.kind.in_([EventKind.RESOLVED, EventKind.REOPENED]),
        )
        .group_by(ConversationEvent.conversation_id)
        .subquery("e")
    )
    handoffs = (
        select(
            Handoff.conversation_id.label("conversation_id"),
            func.count().label("handoffs"),
            func.min(Handoff.id).label("first_handoff_id"),
        )
        .where(Handoff.conversation_id.in_(scope))
        .group_by(Handoff.conversation_id)
        .subquery("h")
    )
    first_handoff = aliased(Handoff, name="first_handoff")
    topic_message = aliased(Message, name="topic_message")
    later = aliased(Conversation, name="later")
    next_contact = (
        select(func.min(later.created_at))
        .where(
            later.customer_id == Conversation.customer_id,
            later.created_at > Conversation.created_at,
        )
        .correlate(Conversation)
        .scalar_subquery()
    )
    return (
        select(
            Conversation.id,
            Conversation.created_at,
            Conversation.channel,
            Customer.tier,
            Conversation.status,
            Conversation.rating,
            Conversation.rating_comment,
            messages.c.customer_messages,
            messages.c.bot_replies,
            messages.c.first_customer_at,
            first_reply.label("first_reply_at"),
            Conversation.topic,
            topic_message.data[("sources", 0, "slug")].as_string().label("answer_slug"),
            topic_message.data[("suggestions", 0, "slug")].as_string().label("suggested_slug"),
            events.c.resolved_at,
            events.c.reopened_at,
            handoffs.c.handoffs,
            first_handoff.queue.label("first_queue"),
            next_contact.label("next_contact_at"),
        )
        .join(Customer, Customer.id == Conversation.customer_id)
        .outerjoin(messages, messages.c.conversation_id == Conversation.id)
        .outerjoin(
            topic_message,
            and_(
                topic_message.conversation_id == Conversation.id,
                topic_message.seq == messages.c.first_bot_reply_seq,
            ),
        )
        .outerjoin(events, events.c.conversation_id == Conversation.id)
        .outerjoin(handoffs, handoffs.c.conversation_id == Conversation.id)
        .outerjoin(first_handoff, first_handoff.id == handoffs.c.first_handoff_id)
        .where(*_conditions(filters))
        .order_by(Conversation.created_at, Conversation.id)
    )


async def data_version(session: AsyncSession) -> tuple[object, ...]:
    """A cheap fingerprint of what the facts are read from: the conversations' content (a
    message or event added, a customer erased), and a handoff added or a conversation added
    or touched (every change to one appends an event or touches it)."""
    row = (
        await session.execute(
            select(
                select(func.max(Handoff.id)).scalar_subquery(),
                select(func.count(Conversation.id)).scalar_subquery(),
                select(func.max(Conversation.updated_at)).scalar_subquery(),
            )
        )
    ).one()
    return (*await conversation_repository.activity_version(session), *row)


async def article_topics(session: AsyncSession) -> dict[str, str]:
    """Map each help-centre article's slug to its topic: its first tag."""
    rows = (await session.execute(select(Article.slug, Article.tags))).all()
    return {slug: str(tags[0]) for slug, tags in rows if tags}


async def conversation_facts(
    session: AsyncSession, filters: Filters, *, topics_by_slug: dict[str, str]
) -> list[ConversationFact]:
    """Return one fact row per conversation the filters select, oldest first."""
    rows = (await session.execute(_conversation_query(filters))).all()
    facts = [
        ConversationFact(
            id=row.id,
            created_at=row.created_at,
            channel=row.channel,
            tier=row.tier.value,
            status=row.status.value,
            topic=topic_of(
                recorded=row.topic,
                answer_slug=row.answer_slug,
                suggested_slug=row.suggested_slug,
                topics_by_slug=topics_by_slug,
            ),
            customer_messages=int(row.customer_messages or 0),
            bot_replies=int(row.bot_replies or 0),
            handoffs=int(row.handoffs or 0),
            first_queue=row.first_queue,
            first_customer_at=row.first_customer_at,
            first_reply_at=row.first_reply_at,
            resolved_at=row.resolved_at,
            reopened_at=row.reopened_at,
            next_contact_at=row.next_contact_at,
            rating=row.rating,
            rating_comment=row.rating_comment,
        )
        for row in rows
    ]
    if filters.intent:
        facts = [fact for fact in facts if fact.topic == filters.intent]
    return facts


async def handoff_facts(
    session: AsyncSession, filters: Filters, *, conversation_ids: set[str]
) -> list[HandoffFact]:
    """Return the handoffs of the selected conversations (only to ``filters.queue`` if set)."""
    # The columns a fact needs, not whole rows: a handoff also holds its brief and signals
    # (JSON), which a report never reads and which cost more to decode than everything else.
    query = (
        select(
            Handoff.id,
            Handoff.conversation_id,
            Handoff.created_at,
            Handoff.queue,
            Handoff.reason,
            Handoff.claimed_at,
            Handoff.claimed_by,
            Handoff.first_human_reply_at,
            Handoff.resolved_at,
            Handoff.emotional_load,
            Handoff.sla_deadline,
        )
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .join(Customer, Customer.id == Conversation.customer_id)
        .where(*_conditions(filters, with_queue=False))
        .order_by(Handoff.created_at, Handoff.id)
    )
    if filters.queue:
        query = query.where(Handoff.queue == filters.queue)
    rows = (await session.execute(query)).all()
    return [
        HandoffFact(
            id=row.id,
            conversation_id=row.conversation_id,
            created_at=row.created_at,
            queue=row.queue,
            reason=row.reason.value,
            claimed_at=row.claimed_at,
            claimed_by=row.claimed_by,
            first_human_reply_at=row.first_human_reply_at,
            resolved_at=row.resolved_at,
            emotional_load=row.emotional_load,
            sla_deadline=row.sla_deadline,
        )
        for row in rows
        if row.conversation_id in conversation_ids
    ]


async def channels(session: AsyncSession) -> Sequence[str]:
    query = select(Conversation.channel).distinct().order_by(Conversation.channel)
    return (await session.execute(query)).scalars().all()


async def queues(session: AsyncSession) -> Sequence[str]:
    query = select(Handoff.queue).distinct().order_by(Handoff.queue)
    return (await session.execute(query)).scalars().all()


async def staff_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = (await session.execute(select(User.id, User.name).where(User.id.in_(ids)))).all()
    return {int(user_id): str(name) for user_id, name in rows}


async def any_conversation(session: AsyncSession) -> bool:
    query = select(Conversation.id).limit(1)
    return (await session.execute(query)).first() is not None
