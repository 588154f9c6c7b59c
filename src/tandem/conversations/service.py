"""Decisions and writes for conversations: start, append messages and events, rate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from tandem.conversations import repository
from tandem.conversations.models import (
    Attachment,
    Author,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Customer,
    EventKind,
    Message,
    Tier,
)
from tandem.conversations.schemas import CustomerIdentity
from tandem.core import i18n, outbox
from tandem.core.errors import ConflictError, NotFoundError
from tandem.core.events import QUEUE_CHANNEL, conversation_channel, notify_after_commit
from tandem.core.security import (
    hash_token,
    new_token,
    sign,
    signature_matches,
    tokens_equal,
)
from tandem.core.time import utc_now

TIMELINE_PAGE = 500


# What integrators see for each conversation event (webhooks); the rest keep their own names.
WEBHOOK_EVENT_TYPES = {EventKind.STARTED: "conversation.created"}
# Passing states the chat shows, not changes an integration acts on (the reply that follows
# is a message.created).
NOT_FOR_WEBHOOKS = {EventKind.BOT_TYPING}


@dataclass(frozen=True, slots=True)
class AppendedMessage:
    message: Message
    created: bool  # False when the client_msg_id was already stored: a retried send


def identity_payload(identity: CustomerIdentity) -> str:
    """Return the string a company's site signs to vouch for a customer."""
    return identity.external_id or (identity.email or "").lower()


async def _resolve_customer(
    session: AsyncSession, identity: CustomerIdentity | None, identity_secret: str | None
) -> tuple[Customer, bool]:
    verified = bool(
        identity
        and identity.signature
        and identity_secret
        and identity_payload(identity)
        and signature_matches(identity_secret, identity_payload(identity), identity.signature)
    )
    if identity is not None and verified:
        email = identity.email.lower() if identity.email else None
        customer = await repository.find_customer(
            session, email=email, external_id=identity.external_id
        )
        if customer is None:
            customer = Customer(email=email, external_id=identity.external_id, name=identity.name)
            session.add(customer)
            await session.flush()
        return customer, True
    # An unverified visitor gets a fresh record: a typed-in e-mail must not unlock someone's tier.
    customer = Customer(tier=Tier.STANDARD)
    session.add(customer)
    await session.flush()
    return customer, False


async def start_conversation(
    session: AsyncSession,
    *,
    identity: CustomerIdentity | None,
    identity_secret: str | None,
    channel: str = "web",
    customer: Customer | None = None,
    created_at: datetime | None = None,
    idempotency: Idempotency | None = None,
    customer_verified: bool = True,
) -> tuple[Conversation, Customer, str]:
    """Open a conversation; return it, its customer and the bearer token (shown only once).

    ``customer`` skips identity resolution (a known customer, e.g. in a replay); whether the
    conversation counts as theirs for certain is ``customer_verified`` (an e-mail's From can be
    forged, so mail is not).
    ``idempotency``: the token is derived from the client's key, so a retry with the same key
    (``resume_conversation``) gets the same conversation and token back.
    """
    if customer is None:
        customer, verified = await _resolve_customer(session, identity, identity_secret)
    else:
        verified = customer_verified
    token = idempotency.token() if idempotency else new_token()
    conversation = Conversation(
        id=str(uuid.uuid4()),
        customer_id=customer.id,
        channel=channel,
        token_hash=hash_token(token),
        idempotency_key_hash=idempotency.key_hash() if idempotency else None,
        contact_name=identity.name if identity else None,
        contact_email=str(identity.email).lower() if identity and identity.email else None,
        identity_verified=verified,
        created_at=created_at or utc_now(),
    )
    session.add(conversation)
    try:
        await session.flush()
    except IntegrityError as error:  # the same key, in a request running at the same moment
        raise ConflictError(
            "A conversation with this Idempotency-Key is being created; retry the request."
        ) from error
    await append_event(session, conversation, kind=EventKind.STARTED, data={"channel": channel})
    return conversation, customer, token


@dataclass(frozen=True, slots=True)
class Idempotency:
    """A client's Idempotency-Key for creating a conversation, and the secret tokens derive from."""

    key: str
    secret: str

    def key_hash(self) -> str:
        return hash_token(self.key)

    def token(self) -> str:
        return sign(self.secret, f"conversation-token:{self.key}")


async def resume_conversation(
    session: AsyncSession, idempotency: Idempotency
) -> tuple[Conversation, str] | None:
    """Return the conversation created earlier with this key and its token, if there is one."""
    conversation = await repository.find_by_idempotency_key(session, idempotency.key_hash())
    if conversation is None or not token_matches(conversation, idempotency.token()):
        return None
    return conversation, idempotency.token()


def token_matches(conversation: Conversation, token: str) -> bool:
    """Check a customer's bearer token against the conversation's stored hash."""
    return tokens_equal(conversation.token_hash, hash_token(token))


async def get_conversation(session: AsyncSession, conversation_id: str) -> Conversation:
    """Return the conversation or raise NotFoundError."""
    conversation = await repository.get_conversation(session, conversation_id)
    if conversation is None:
        raise NotFoundError(
            "No such conversation; start a new one with POST /api/v1/conversations."
        )
    return conversation


async def get_customer(session: AsyncSession, customer_id: int) -> Customer:
    customer = await repository.get_customer(session, customer_id)
    if customer is None:
        raise NotFoundError("No such customer.")
    return customer


def _touch(session: AsyncSession, conversation: Conversation) -> None:
    conversation.updated_at = utc_now()
    notify_after_commit(session, conversation_channel(conversation.id))


def _bumped(session: AsyncSession, conversation: Conversation, seq: int, at: datetime) -> None:
    """Show on the loaded row what the sequence bump wrote (so no second UPDATE is flushed)
    and wake the conversation's listeners after the commit."""
    set_committed_value(conversation, "last_seq", seq)
    set_committed_value(conversation, "updated_at", at)
    notify_after_commit(session, conversation_channel(conversation.id))


_WITH_PEOPLE = (ConversationStatus.WAITING, ConversationStatus.ASSIGNED)


async def append_message(
    session: AsyncSession,
    conversation: Conversation,
    *,
    author: Author,
    text: str,
    client_msg_id: str | None = None,
    agent_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AppendedMessage:
    """Store a message with the next sequence number; a known ``client_msg_id`` is a no-op."""
    touched_at = utc_now()
    seq = await repository.bump_seq(session, conversation.id, touched_at=touched_at)
    # The bump holds the conversation's lock, so this look-up cannot race a concurrent retry.
    if client_msg_id is not None:
        existing = await repository.find_message_by_client_id(
            session, conversation.id, client_msg_id
        )
        if existing is not None:
            # Back to the sequence before; updated_at keeps the retry's time (harmless).
            await repository.bump_seq(session, conversation.id, step=-1)
            return AppendedMessage(existing, created=False)
    message = Message(
        conversation_id=conversation.id,
        seq=seq,
        author=author,
        agent_id=agent_id,
        text=text,
        client_msg_id=client_msg_id,
        data=data or {},
    )
    session.add(message)
    _bumped(session, conversation, seq, touched_at)
    if author is Author.CUSTOMER and conversation.status in _WITH_PEOPLE:
        notify_after_commit(session, QUEUE_CHANNEL)  # the console's lists count unread messages
    await session.flush()
    outbox.record(
        session,
        "message.created",
        {
            "conversation_id": conversation.id,
            "seq": seq,
            "author": author.value,
            "agent_id": agent_id,
            "text": text,
            "kind": message.data.get("kind"),
            "created_at": message.created_at.isoformat(),
        },
        conversation_id=conversation.id,
    )
    return AppendedMessage(message, created=True)


async def append_event(
    session: AsyncSession,
    conversation: Conversation,
    *,
    kind: EventKind,
    data: dict[str, Any] | None = None,
) -> ConversationEvent:
    """Record an event in the conversation's log with the next sequence number."""
    touched_at = utc_now()
    seq = await repository.bump_seq(session, conversation.id, touched_at=touched_at)
    event = ConversationEvent(conversation_id=conversation.id, seq=seq, kind=kind, data=data or {})
    session.add(event)
    _bumped(session, conversation, seq, touched_at)
    await session.flush()
    if kind in NOT_FOR_WEBHOOKS:
        return event
    outbox.record(
        session,
        WEBHOOK_EVENT_TYPES.get(kind, kind.value),
        {
            "conversation_id": conversation.id,
            "seq": seq,
            "channel": conversation.channel,
            "status": conversation.status.value,
            "details": event.data,
        },
        conversation_id=conversation.id,
    )
    return event


async def set_status(
    session: AsyncSession,
    conversation: Conversation,
    status: ConversationStatus,
    *,
    agent_id: int | None = None,
) -> None:
    """Move the conversation to ``status``; queue listeners are woken after commit."""
    conversation.status = status
    conversation.assigned_agent_id = agent_id
    if status is ConversationStatus.RESOLVED:
        conversation.resolved_at = utc_now()
    elif status is ConversationStatus.BOT:
        conversation.failed_answers = 0
    _touch(session, conversation)
    notify_after_commit(session, QUEUE_CHANNEL)
    await session.flush()


async def timeline_after(
    session: AsyncSession, conversation_id: str, *, after: int, limit: int = TIMELINE_PAGE
) -> tuple[list[Message], list[ConversationEvent]]:
    """Return messages and events with seq > ``after``, at most ``limit`` sequence numbers."""
    messages = await repository.list_messages_after(
        session, conversation_id, after=after, limit=limit
    )
    events = await repository.list_events_after(session, conversation_id, after=after, limit=limit)
    # A full page of either kind cuts both at its last seq, so a client resuming from the
    # highest seq it got can never skip an item of the other kind.
    cuts = [page[-1].seq for page in (messages, events) if len(page) == limit]
    if cuts:
        cut = min(cuts)
        return [m for m in messages if m.seq <= cut], [e for e in events if e.seq <= cut]
    return list(messages), list(events)


async def recent_messages(
    session: AsyncSession, conversation_id: str, *, limit: int = 50
) -> Sequence[Message]:
    return await repository.list_recent_messages(session, conversation_id, limit=limit)


LANGUAGE_LOOKBACK = 20  # customer turns stored with their reading, newest first


async def customer_language(session: AsyncSession, conversation_id: str) -> str | None:
    """Return the language the customer last wrote in clearly, when Tandem speaks it.

    The bot stores the language it read with every customer turn; "ok" or an order number
    reads as no language, so the latest clear one counts. None: nothing clear yet.
    """
    history = await repository.list_recent_messages(
        session, conversation_id, limit=LANGUAGE_LOOKBACK
    )
    for message in reversed(history):
        if message.author is Author.CUSTOMER:
            language = message.data.get("reading", {}).get("language")
            if isinstance(language, str) and language in i18n.available():
                return language
    return None


async def previous_conversations(
    session: AsyncSession, conversation: Conversation, *, limit: int = 5
) -> Sequence[Conversation]:
    return await repository.list_customer_conversations(
        session, conversation.customer_id, exclude=conversation.id, limit=limit
    )


async def rate(
    session: AsyncSession, conversation: Conversation, *, score: int, comment: str | None
) -> Conversation:
    """Record the customer's satisfaction rating; only a resolved conversation can be rated."""
    if conversation.status is not ConversationStatus.RESOLVED:
        raise ConflictError("You can rate the conversation once it has been resolved.")
    conversation.rating = score
    conversation.rating_comment = comment or None
    await append_event(
        session, conversation, kind=EventKind.RATED, data={"score": score, "comment": comment}
    )
    return conversation


async def close_by_customer(session: AsyncSession, conversation: Conversation) -> Conversation:
    """End a conversation the bot is handling, at the customer's word: resolved, no person.

    Closing again is a no-op; a conversation with a person is theirs to resolve (409).
    """
    if conversation.status is ConversationStatus.RESOLVED:
        return conversation
    if conversation.status is not ConversationStatus.BOT:
        raise ConflictError(
            "A person from our team is looking after this conversation; they will close it."
        )
    await set_status(session, conversation, ConversationStatus.RESOLVED)
    await append_event(session, conversation, kind=EventKind.RESOLVED, data={"by": "customer"})
    return conversation


async def create_customer(
    session: AsyncSession, *, tier: Tier, attributes: dict[str, Any], name: str | None = None
) -> Customer:
    """Create a customer known to the company's systems (tier and attributes)."""
    customer = Customer(tier=tier, attributes=attributes, name=name)
    session.add(customer)
    await session.flush()
    return customer


async def ensure_customer(
    session: AsyncSession, *, email: str, name: str | None, tier: Tier
) -> bool:
    """Create a known customer unless one with this e-mail exists; return True if created."""
    if await repository.find_customer(session, email=email.lower()) is not None:
        return False
    session.add(Customer(email=email.lower(), name=name, tier=tier))
    await session.flush()
    return True


async def message_at(session: AsyncSession, conversation: Conversation, seq: int) -> Message | None:
    """Return the conversation's message with sequence number ``seq``, if it is a message."""
    found = await repository.list_messages_after(session, conversation.id, after=seq - 1, limit=1)
    return found[0] if found and found[0].seq == seq else None


async def previous_customer_message(
    session: AsyncSession, conversation: Conversation, message: Message
) -> Message | None:
    """Return the customer's message before ``message`` in the same conversation, if any."""
    return await repository.previous_message(
        session, conversation.id, before=message.seq, author=Author.CUSTOMER
    )


async def count_recent_contacts(
    session: AsyncSession, conversation: Conversation, *, days: int
) -> int:
    """Count the customer's other conversations started in the ``days`` before this one."""
    since = conversation.created_at - timedelta(days=days)
    return await repository.count_customer_conversations_since(
        session, conversation.customer_id, since=since, exclude=conversation.id
    )


async def record_turn_analysis(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    *,
    signals: dict[str, Any],
    reading: dict[str, Any],
    emotional_load: float,
    abusive: bool,
    topic: str | None,
) -> None:
    """Keep what the bot read in a customer message, and the conversation's load so far.

    ``signals`` are what the policy decided on (replayed by policy previews); ``reading`` is
    the language and every signal's calibrated score. Written by the turn's next statement
    (autoflush) or its commit, together with the conversation's other changes of the turn.
    """
    message.data = {**message.data, "signals": signals, "reading": reading}
    conversation.emotional_load = max(conversation.emotional_load, emotional_load)
    conversation.abuse_count += int(abusive)
    if topic is not None:
        conversation.topic = topic


async def stored_turn_signals(
    session: AsyncSession, *, conversations: int
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Return the signals stored with each customer turn of the latest conversations."""
    rows = await repository.customer_turn_data(session, conversations=conversations)
    return [(cid, [d["signals"] for d in turns if "signals" in d]) for cid, turns in rows]


async def attach(
    session: AsyncSession,
    message: Message,
    *,
    filename: str,
    content_type: str,
    content: bytes,
) -> Attachment:
    """Keep a file that came with ``message``; the message lists it in ``data["attachments"]``."""
    attachment = Attachment(
        conversation_id=message.conversation_id,
        message_id=message.id,
        filename=filename,
        content_type=content_type,
        size=len(content),
        content=content,
    )
    session.add(attachment)
    await session.flush()
    listed = list(message.data.get("attachments", []))
    listed.append(
        {"id": attachment.id, "filename": filename, "content_type": content_type,
         "size": attachment.size}
    )  # fmt: skip
    message.data = {**message.data, "attachments": listed}
    await session.flush()
    return attachment


async def get_attachment(
    session: AsyncSession, conversation: Conversation, attachment_id: int
) -> Attachment:
    """Return one of the conversation's attachments; 404 if it belongs to another one."""
    attachment = await repository.get_attachment(session, conversation.id, attachment_id)
    if attachment is None:
        raise NotFoundError("No such attachment in this conversation.")
    return attachment
