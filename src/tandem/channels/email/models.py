"""Mail threads (a conversation carried by e-mail) and every mail in or out, with the outbox.

A conversation's new bot, agent and system messages are written into an outgoing mail in the
same transaction that moves the thread's ``mailed_seq`` past them, so a message is mailed
once, and a mail that was not yet sent when a process died is still in the outbox.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.enums import str_enum
from tandem.core.time import utc_now


class MailDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MailStatus(StrEnum):
    RECEIVED = "received"  # an inbound mail, in the conversation
    IGNORED = "ignored"  # an inbound auto-reply, bounce or our own mail: never answered
    PENDING = "pending"  # outbound, waiting to be sent (or to be retried)
    SENT = "sent"
    FAILED = "failed"  # outbound, given up on: the server refused it for good


class MailThread(Base):
    __tablename__ = "mail_threads"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    customer_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    # Messages up to this sequence number are in the outbox (or were never to be mailed).
    mailed_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class MailMessage(Base):
    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[MailDirection] = mapped_column(str_enum(MailDirection))
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus))
    message_id: Mapped[str] = mapped_column(Text)
    # SHA-256 of the lower-cased Message-ID: a mail fetched or posted twice is stored once.
    message_key: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    # Outbound: the exact bytes to send, so a retry sends the same mail with the same id.
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
