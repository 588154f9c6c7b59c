"""The e-mail channel: mail in becomes a conversation turn, new replies become mail out.

An inbound mail continues the conversation of the mail it answers (In-Reply-To, References),
or starts one; the bot reads it like a chat message, under the same escalation policy. Every
bot, agent and system message that follows is written into the outbox in the transaction that
marks it mailed; ``lease_due`` and ``record_attempt`` send it with retries after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from tandem.auth import service as auth_service
from tandem.bot import service as bot_service
from tandem.channels.email import repository
from tandem.channels.email.compose import Letterhead, OutgoingPart, compose
from tandem.channels.email.models import MailDirection, MailMessage, MailStatus, MailThread
from tandem.channels.email.parse import InboundMail, message_id_key, parse_mail
from tandem.conversations import customers as customer_service
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, ConversationEvent, Message
from tandem.core.time import utc_now

CHANNEL = "email"
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=6)
MAX_ATTEMPTS = 12  # about a day and a half of retries
_NOT_MAILED_KINDS = frozenset({"greeting"})


@dataclass(frozen=True, slots=True)
class MailConfig:
    """The support mailbox's address and what its mail is signed with."""

    address: str
    company: str
    base_url: str

    @property
    def letterhead(self) -> Letterhead:
        return Letterhead(address=self.address, company=self.company, base_url=self.base_url)


@dataclass(frozen=True, slots=True)
class Received:
    conversation_id: str | None
    duplicate: bool = False
    ignored: bool = False


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A leased mail to hand to the SMTP server."""

    id: int
    sender: str
    recipient: str
    raw: bytes
    attempts: int


def _inbound_row(
    parsed: InboundMail, conversation_id: str | None, status: MailStatus
) -> MailMessage:
    return MailMessage(
        conversation_id=conversation_id,
        direction=MailDirection.INBOUND,
        status=status,
        message_id=parsed.message_id,
        message_key=message_id_key(parsed.message_id),
        sender=parsed.sender[:320],
        recipient=(parsed.recipients[0] if parsed.recipients else "")[:320],
        subject=parsed.subject,
    )


def _first_text(parsed: InboundMail) -> str:
    """The customer's words: the subject leads a new thread's first message."""
    text = parsed.text
    subject = parsed.subject
    if subject and subject.lower() not in text.lower():
        text = f"{subject}\n\n{text}".strip()
    return text


def _turn_text(parsed: InboundMail, *, first: bool) -> str:
    text = _first_text(parsed) if first else parsed.text
    if text:
        return text
    if parsed.files:
        return f"(sent {len(parsed.files)} attachment{'s' if len(parsed.files) > 1 else ''})"
    return "(an empty e-mail)"


def _new_thread(
    session: AsyncSession, conversation: Conversation, *, address: str, subject: str
) -> MailThread:
    """A mail thread for the conversation; what it already holds is not mailed."""
    thread = MailThread(
        conversation_id=conversation.id,
        customer_address=address,
        subject=subject,
        mailed_seq=conversation.last_seq,
    )
    session.add(thread)
    return thread


async def _thread_conversation(
    session: AsyncSession, parsed: InboundMail
) -> tuple[Conversation, MailThread] | None:
    keys = [message_id_key(i) for i in parsed.thread_ids]
    conversation_id = await repository.conversation_of(session, keys)
    if conversation_id is None:
        return None
    conversation = await conversation_service.get_conversation(session, conversation_id)
    if conversation.erased_at is not None:
        return None  # its content is gone; a new mail starts afresh
    thread = await repository.get_thread(session, conversation.id)
    return conversation, thread or _new_thread(
        session, conversation, address=parsed.sender, subject=parsed.subject
    )


async def _new_conversation(
    session: AsyncSession, parsed: InboundMail
) -> tuple[Conversation, MailThread]:
    customer = await customer_service.customer_for_address(
        session, email=parsed.sender, name=parsed.sender_name
    )
    conversation, _customer, _token = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None, channel=CHANNEL, customer=customer,
        customer_verified=False,
    )  # fmt: skip
    conversation.contact_email = parsed.sender
    conversation.contact_name = parsed.sender_name
    return conversation, _new_thread(
        session, conversation, address=parsed.sender, subject=parsed.subject
    )


async def receive_mail(
    session: AsyncSession, raw: bytes, *, mail: MailConfig, bot: bot_service.BotConfig
) -> Received:
    """Take one inbound mail: continue or start its conversation, let the bot respond.

    Idempotent by Message-ID: a mail fetched or posted again changes nothing. Auto-replies,
    bounces, list mail and mail from the support address itself are kept but never answered,
    so two robots cannot mail each other forever. Raises ``InvalidInputError`` for bytes that
    are not a mail with a sender.
    """
    parsed = parse_mail(raw)
    earlier = await repository.find_mail(session, message_id_key(parsed.message_id))
    if earlier is not None:
        return Received(earlier.conversation_id, duplicate=True)
    if parsed.automatic or parsed.sender == mail.address.lower():
        session.add(_inbound_row(parsed, None, MailStatus.IGNORED))
        await session.flush()
        return Received(None, ignored=True)
    found = await _thread_conversation(session, parsed)
    conversation, thread = found or await _new_conversation(session, parsed)
    session.add(_inbound_row(parsed, conversation.id, MailStatus.RECEIVED))
    await session.flush()  # a concurrent copy of the same mail fails here, before any reply
    result = await bot_service.receive(
        session,
        conversation,
        text=_turn_text(parsed, first=found is None),
        client_msg_id="mail:" + message_id_key(parsed.message_id)[:64],
        config=bot,
    )
    for file in parsed.files:
        await conversation_service.attach(
            session, result.message, filename=file.filename, content_type=file.content_type,
            content=file.content,
        )  # fmt: skip
    await queue_thread(session, thread, latest=conversation.last_seq, mail=mail)
    return Received(conversation.id)


async def start_thread(
    session: AsyncSession, conversation: Conversation, *, address: str, company: str
) -> MailThread:
    """Carry a chat on by e-mail from now on (the customer left an address instead of waiting).

    Messages already in the chat are not mailed; everything after them is, and the customer's
    answers by mail continue the same conversation.
    """
    thread = await repository.get_thread(session, conversation.id)
    if thread is not None:
        thread.customer_address = address.lower()
        return thread
    thread = _new_thread(
        session, conversation, address=address.lower(), subject=f"Your conversation with {company}"
    )
    await session.flush()
    return thread


async def _parts(session: AsyncSession, messages: Sequence[Message]) -> list[OutgoingPart]:
    agent_ids = [m.agent_id for m in messages if m.agent_id is not None]
    users = await auth_service.users_by_id(session, agent_ids) if agent_ids else {}
    parts: list[OutgoingPart] = []
    for message in messages:
        if message.author is Author.CUSTOMER or message.data.get("kind") in _NOT_MAILED_KINDS:
            continue
        agent = users.get(message.agent_id) if message.agent_id is not None else None
        sources = tuple(
            (str(s.get("title", "")), str(s.get("url", "")))
            for s in message.data.get("sources", [])
            if s.get("url")
        )
        parts.append(
            OutgoingPart(
                author=message.author.value,
                text=message.text,
                agent_name=agent.name if agent is not None else None,
                sources=sources,
            )
        )
    return parts


def _covered(messages: Sequence[Message], events: Sequence[ConversationEvent], latest: int) -> int:
    """The last seq a timeline page covers (``latest`` unless the page was cut short)."""
    page = conversation_service.TIMELINE_PAGE
    if len(messages) < page and len(events) < page:
        return latest
    return min(latest, max([m.seq for m in messages] + [e.seq for e in events]))


async def queue_thread(
    session: AsyncSession, thread: MailThread, *, latest: int, mail: MailConfig
) -> int:
    """Write the thread's messages up to ``latest`` that are not mailed yet into the outbox.

    Returns the number of mails queued (0 or 1). Safe to run in several processes at once:
    only the one that moves ``mailed_seq`` writes the mail.
    """
    seen = thread.mailed_seq
    if latest <= seen:
        return 0
    messages, events = await conversation_service.timeline_after(
        session, thread.conversation_id, after=seen
    )
    upto = _covered(messages, events, latest)
    if not await repository.advance_thread(session, thread.conversation_id, seen=seen, to=upto):
        return 0
    set_committed_value(thread, "mailed_seq", upto)
    parts = await _parts(session, [m for m in messages if m.seq <= upto])
    if not parts or not thread.customer_address:  # nothing to say, or the address was erased
        return 0
    thread_ids = await repository.thread_message_ids(session, thread.conversation_id)
    composed = compose(
        parts, letterhead=mail.letterhead, to=thread.customer_address, subject=thread.subject,
        thread_ids=thread_ids,
    )  # fmt: skip
    session.add(
        MailMessage(
            conversation_id=thread.conversation_id,
            direction=MailDirection.OUTBOUND,
            status=MailStatus.PENDING,
            message_id=composed.message_id,
            message_key=message_id_key(composed.message_id),
            sender=mail.address,
            recipient=thread.customer_address,
            subject=composed.subject[:500],
            raw=composed.raw,
            next_attempt_at=utc_now(),
        )
    )
    await session.flush()
    return 1


async def queue_all(session: AsyncSession, *, mail: MailConfig, limit: int = 200) -> int:
    """Queue the new messages of every thread that has some; return the mails queued."""
    queued = 0
    for thread, latest in await repository.threads_behind(session, limit=limit):
        queued += await queue_thread(session, thread, latest=latest, mail=mail)
    return queued


async def lease_due(session: AsyncSession, *, now: datetime, limit: int = 20) -> list[Outgoing]:
    """Take the mails due for sending; another process skips them until the lease ends."""
    leased: list[Outgoing] = []
    for row in await repository.due_mails(session, now=now, limit=limit):
        if row.raw is None:
            continue
        if await repository.lease_mail(session, row.id, attempts=row.attempts, until=now + LEASE):
            leased.append(
                Outgoing(row.id, row.sender, row.recipient, row.raw, attempts=row.attempts + 1)
            )
    return leased


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: 30 s doubling, at most 6 h."""
    return min(FIRST_RETRY * (1 << min(max(attempts - 1, 0), 20)), LAST_RETRY)


async def record_attempt(
    session: AsyncSession, mail_id: int, *, error: str | None, permanent: bool = False
) -> MailStatus:
    """Record how sending went: sent, to be retried later, or given up on."""
    row = await repository.get_mail(session, mail_id)
    if row is None:  # its conversation was erased meanwhile
        return MailStatus.FAILED
    now = utc_now()
    if error is None:
        row.status, row.sent_at, row.next_attempt_at, row.last_error = (
            MailStatus.SENT, now, None, None,
        )  # fmt: skip
    elif permanent or row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at, row.last_error = MailStatus.FAILED, None, error[:2000]
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.last_error = error[:2000]
    await session.flush()
    return row.status


async def conversation_mails(
    session: AsyncSession, conversation: Conversation
) -> list[MailMessage]:
    """The mails of a conversation, in and out, oldest first (for agents and support)."""
    return await repository.list_mails(session, conversation.id)
