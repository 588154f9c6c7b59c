"""API shapes for conversations, messages and events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from tandem.conversations.models import Author, ConversationStatus, EventKind, Tier

MAX_MESSAGE_LENGTH = 4000

MessageText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_LENGTH)
]
ClientMessageId = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:\-]+$")
]


class CustomerIdentity(BaseModel):
    """Who the customer says they are; ``signature`` (HMAC by the company's site) proves it."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    external_id: Annotated[str, StringConstraints(max_length=200)] | None = None
    signature: Annotated[str, StringConstraints(max_length=128)] | None = None


class ConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer: CustomerIdentity | None = None
    language: str | None = Field(
        default=None,
        max_length=35,
        pattern=r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$",
        description=(
            'The customer\'s language as a tag ("de", "pt-BR"), e.g. the page\'s: the bot greets '
            "in it, if it speaks it, until the customer writes in another. Unset: the "
            "request's Accept-Language."
        ),
    )


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: MessageText
    client_msg_id: ClientMessageId = Field(
        description="Chosen by the client; sending the same id again is a no-op."
    )


class Source(BaseModel):
    title: str
    url: str
    slug: str


class AttachmentRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int


class MessageRead(BaseModel):
    type: Literal["message"] = "message"
    seq: int
    author: Author
    author_name: str | None = None
    text: str
    client_msg_id: str | None = None
    created_at: datetime
    kind: str | None = Field(default=None, description="answer, not_sure, handoff, greeting, ...")
    confidence: float | None = None
    sources: list[Source] = []
    suggestions: list[Source] = []
    reasons: list[str] = []
    quick_replies: list[str] = Field(
        default=[], description="Answers the customer can send with one tap."
    )
    attachments: list[AttachmentRead] = Field(
        default=[], description="Files that came with the message (e-mail attachments)."
    )


class EventRead(BaseModel):
    type: Literal["event"] = "event"
    seq: int
    kind: EventKind
    data: dict[str, Any]
    created_at: datetime


TimelineItem = Annotated[MessageRead | EventRead, Field(discriminator="type")]


class TimelineRead(BaseModel):
    items: list[TimelineItem]
    last_seq: int = Field(description="Pass as `after` to get what comes next.")


class QueueInfo(BaseModel):
    position: int
    estimated_wait_seconds: int | None
    estimated_wait_text: str
    open: bool = Field(default=True, description="False outside the queue's business hours.")


class ConversationRead(BaseModel):
    id: str
    status: ConversationStatus
    last_seq: int
    created_at: datetime
    rating: int | None = None
    queue: QueueInfo | None = None
    agent_name: str | None = None
    follow_up: str | None = Field(default=None, description="email or callback, once asked.")


class ConversationStarted(ConversationRead):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown only once.")


class FollowUpCreate(BaseModel):
    """Instead of waiting: an e-mail to reply to, or a phone number to call back."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    phone: (
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, min_length=6, max_length=32, pattern=r"^\+?[0-9 ()\-]{6,32}$"
            ),
        ]
        | None
    ) = None


class RatingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


AttributeValue = str | int | float | bool | None
AttributeKey = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class CustomerUpsert(BaseModel):
    """A customer from the company's systems; an existing e-mail or external id is updated."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    tier: Tier | None = None
    attributes: dict[AttributeKey, AttributeValue] = Field(
        default={},
        max_length=50,
        description="Facts rules can use, e.g. lifetime_value; merged into the stored ones, and "
        "a null value removes that key.",
        examples=[{"lifetime_value": 1830.5, "plan": "gold"}],
    )


class CustomerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    tier: Tier | None = None
    attributes: dict[AttributeKey, AttributeValue] = Field(default={}, max_length=50)


class CustomerRead(BaseModel):
    id: int
    email: str | None
    external_id: str | None
    name: str | None
    tier: Tier
    attributes: dict[str, Any]
    created_at: datetime
