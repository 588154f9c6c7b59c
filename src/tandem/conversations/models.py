"""Customers, conversations, messages and conversation events.

Messages and events of a conversation share one sequence: ``Conversation.last_seq`` is bumped
under the conversation's row lock, so sequence numbers are gapless and committed in order.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.enums import str_enum
from tandem.core.time import utc_now


class Tier(StrEnum):
    STANDARD = "standard"
    VIP = "vip"


class ConversationStatus(StrEnum):
    BOT = "bot"  # the AI is answering
    WAITING = "waiting"  # handed off, waiting for a person
    ASSIGNED = "assigned"  # a person owns it; the bot is silent
    RESOLVED = "resolved"


class Author(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class EventKind(StrEnum):
    STARTED = "conversation.started"
    HANDOFF = "conversation.handed_off"
    ASSIGNED = "conversation.assigned"
    RESOLVED = "conversation.resolved"
    REOPENED = "conversation.reopened"
    RATED = "conversation.rated"
    REQUEUED = "conversation.requeued"
    TRANSFERRED = "conversation.transferred"
    FOLLOW_UP = "conversation.follow_up_requested"
    ENDED = "conversation.ended"
    BOT_TYPING = "conversation.bot_typing"  # a reply is being worded; it follows as a message


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[Tier] = mapped_column(str_enum(Tier), default=Tier.STANDARD)
    # What the company's systems know (e.g. order_value), as signed or synced; used by rules.
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_status_updated", "status", "updated_at"),
        Index("uq_conversations_idempotency_key_hash", "idempotency_key_hash", unique=True),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32), default="web")
    status: Mapped[ConversationStatus] = mapped_column(
        str_enum(ConversationStatus), default=ConversationStatus.BOT
    )
    token_hash: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the client's Idempotency-Key: a retried creation finds this conversation.
    idempotency_key_hash: Mapped[str | None] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(default=0)
    failed_answers: Mapped[int] = mapped_column(default=0)
    assigned_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    identity_verified: Mapped[bool] = mapped_column(default=False)
    topic: Mapped[str | None] = mapped_column(String(200))  # what the latest question was about
    emotional_load: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1, highest so far
    abuse_count: Mapped[int] = mapped_column(default=0)
    closed_reason: Mapped[str | None] = mapped_column(String(200))
    follow_up: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e-mail or callback
    bot_state: Mapped[dict[str, Any]] = mapped_column(default=dict)  # a pending action, ...
    rating: Mapped[int | None]
    rating_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    resolved_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]  # its content was erased (subject request or retention)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq"),
        UniqueConstraint("conversation_id", "client_msg_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    author: Mapped[Author] = mapped_column(str_enum(Author))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    client_msg_id: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ConversationEvent(Base):
    __tablename__ = "conversation_events"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, length=64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class PendingReply(Base):
    """A bot reply a model is wording in a job; meanwhile the customer sees the bot typing.

    ``data`` holds what the job needs: the passages the model may use, the passage to show
    instead, and how to present the reply. The row goes when the reply is posted or dropped.
    """

    __tablename__ = "pending_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    reply_to: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


class Attachment(Base):
    """A file that came with a message (an e-mail attachment); its bytes are kept in the row."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
