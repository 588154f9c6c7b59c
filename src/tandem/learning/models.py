"""Proposed knowledge changes drafted from human resolutions, the training set they feed, and
the bot answers agents flag as wrong."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.enums import str_enum
from tandem.core.time import utc_now


class ProposalStatus(StrEnum):
    PENDING = "pending"  # waiting for a supervisor; never published in this state
    APPROVED = "approved"
    REJECTED = "rejected"


class ProposalKind(StrEnum):
    NEW_ARTICLE = "new_article"
    UPDATE_ARTICLE = "update_article"
    # The question should be answered from the article ``slug``: accepted, it joins the golden
    # questions replayed before every knowledge change. Publishes nothing.
    GOLDEN_QUESTION = "golden_question"


ARTICLE_KINDS = (ProposalKind.NEW_ARTICLE, ProposalKind.UPDATE_ARTICLE)


class Proposal(Base):
    __tablename__ = "learning_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus), default=ProposalStatus.PENDING, index=True
    )
    kind: Mapped[ProposalKind] = mapped_column(str_enum(ProposalKind))
    origin: Mapped[str] = mapped_column(String(32))  # resolution, gap_report
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(200))
    examples: Mapped[list[Any]] = mapped_column(default=list)  # training phrasings
    conversation_ids: Mapped[list[Any]] = mapped_column(default=list)  # provenance
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The supervisor published although golden questions answered right would turn wrong.
    published_with_regressions: Mapped[bool] = mapped_column(default=False, server_default=false())


class TrainingExample(Base):
    """A customer phrasing labelled with its intent, for the next intent-model training."""

    __tablename__ = "learning_training_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(200), index=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_proposals.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class AnswerFlag(Base):
    """An agent's word that a bot answer was wrong, with the right article or answer.

    One per message and agent: flagging again changes the flag. ``proposal_id`` is what the
    flag put in the review queue (a golden question, or a new article from the right answer).
    """

    __tablename__ = "answer_flags"
    __table_args__ = (UniqueConstraint("message_id", "flagged_by"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    flagged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    flagged_by_name: Mapped[str] = mapped_column(String(200))  # kept if the user is deleted
    question: Mapped[str] = mapped_column(Text)  # the customer's message the bot answered
    answered_slug: Mapped[str | None] = mapped_column(String(200))  # the article it answered from
    right_slug: Mapped[str | None] = mapped_column(String(200))
    right_text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_proposals.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
