"""A handoff: one conversation's stay in the human queue, with why it got there; agents' notes,
labels, and how far each agent has read a conversation."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.enums import str_enum
from tandem.core.time import utc_now
from tandem.escalation.reasons import ReasonCode


class HandoffStatus(StrEnum):
    WAITING = "waiting"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class SummaryState(StrEnum):
    PENDING = "pending"
    WRITTEN = "written"
    REFUSED = "refused"
    FAILED = "failed"


class Handoff(Base):
    __tablename__ = "handoffs"
    __table_args__ = (
        Index("ix_handoffs_queue_order", "status", "priority", "created_at"),
        Index("ix_handoffs_summary_state", "summary_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[HandoffStatus] = mapped_column(
        str_enum(HandoffStatus), default=HandoffStatus.WAITING
    )
    queue: Mapped[str] = mapped_column(String(64), default="general")
    priority: Mapped[int] = mapped_column(default=0)
    reason: Mapped[ReasonCode] = mapped_column(str_enum(ReasonCode))
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # [{"code", "evidence"}, ...]
    brief: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    first_human_reply_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    sla_deadline: Mapped[datetime | None]  # first human reply due by then
    sla_breached: Mapped[bool] = mapped_column(default=False)
    requeued_count: Mapped[int] = mapped_column(default=0)
    emotional_load: Mapped[float] = mapped_column(Float, default=0.0)
    notes: Mapped[list[Any]] = mapped_column(default=list)  # internal: transfers, requeues
    # A configured model's summary for the brief, written by a job after the handoff: "pending"
    # until then, then "written", "refused" (it failed the checks) or "failed" (no answer).
    # None: no model was configured, the brief's summary is the extractive one.
    summary_state: Mapped[SummaryState | None] = mapped_column(str_enum(SummaryState))


class ConversationNote(Base):
    """An internal note on a conversation: agents and supervisors read it, customers never do."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))  # kept if the user is deleted
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class NoteMention(Base):
    """Someone @mentioned in a note, until they open the conversation."""

    __tablename__ = "note_mentions"
    __table_args__ = (
        UniqueConstraint("note_id", "user_id"),
        Index("ix_note_mentions_unseen", "user_id", "seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_notes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seen_at: Mapped[datetime | None]


class ConversationLabel(Base):
    """A label the team put on a conversation ("refund", "vip"), to sort and find it by.

    ``label`` is always normalised (``routing.labels.normalise``); a conversation carries each
    label once.
    """

    __tablename__ = "conversation_labels"
    __table_args__ = (UniqueConstraint("conversation_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint's index (conversation_id first) serves look-ups by conversation.
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(40), index=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ConversationRead(Base):
    """How far a team member has read a conversation: its sequence number when they last had
    it open. Customer messages after it are unread for them."""

    __tablename__ = "conversation_reads"
    # The unique constraint's index (user_id first) serves an agent's unread counts.
    __table_args__ = (UniqueConstraint("user_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    read_seq: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime] = mapped_column(default=utc_now)
