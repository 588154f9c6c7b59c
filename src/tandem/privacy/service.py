"""A customer's rights over their data: export everything, or erase it.

Erasure anonymises rather than deletes rows, so the counts the reports are built from (how
many conversations, answers, handoffs and their reasons, times, ratings) stay true: the
customer's identity, every message text, what the bot read from them, the handoff brief, the
internal notes, the words of answers flagged as wrong (the question, the right answer, the
note) and free-text comments are removed, the customer token stops working, and learning
proposals still waiting for review that came from these conversations are deleted.
Labels ("refund", "vip") are exported but kept: they say what a conversation was about, not who
the customer is, so they are not personal data.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.models import User
from tandem.channels.email.models import MailStatus
from tandem.conversations.models import Conversation, Customer
from tandem.core.errors import InvalidInputError, NotFoundError
from tandem.core.security import hash_token
from tandem.core.time import utc_now
from tandem.learning.models import ProposalStatus
from tandem.privacy import repository

ERASED = "[erased at the customer's request]"
EXPIRED = "[erased after the retention period]"
RETENTION_BATCH = 500  # conversations per round, so one run never holds everything at once
# Keys under which free text (the customer's words, agents' notes) is kept in JSON columns.
_TEXT_KEYS = frozenset({"text", "comment", "note", "evidence", "summary", "email", "phone"})


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def _customer(session: AsyncSession, email: str) -> Customer:
    customer = await repository.find_customer(session, email)
    if customer is None:
        raise NotFoundError(f"No customer with e-mail {email}.")
    return customer


async def export_customer(
    session: AsyncSession, email: str, *, actor: User | None = None
) -> dict[str, Any]:
    """Return everything Tandem stores about the customer with ``email``, as JSON-ready data.

    The audit log names ``actor`` (None: the command line).
    """
    customer = await _customer(session, email)
    conversations = await repository.conversations_of(session, customer.id)
    ids = [c.id for c in conversations]
    messages = await repository.messages_of(session, ids)
    events = await repository.events_of(session, ids)
    handoffs = await repository.handoffs_of(session, ids)
    notes = await repository.notes_of(session, ids)
    labels = await repository.labels_of(session, ids)
    flags = await repository.answer_flags_of(session, ids)
    seqs = {m.id: m.seq for m in messages}
    await audit.record(session, "customer.exported", actor=actor, target=f"customer {customer.id}")
    return {
        "customer": {
            "email": customer.email,
            "name": customer.name,
            "external_id": customer.external_id,
            "tier": customer.tier.value,
            "attributes": customer.attributes,
            "created_at": _when(customer.created_at),
        },
        "conversations": [
            {
                "id": c.id,
                "channel": c.channel,
                "status": c.status.value,
                "created_at": _when(c.created_at),
                "resolved_at": _when(c.resolved_at),
                "contact_name": c.contact_name,
                "contact_email": c.contact_email,
                "follow_up": c.follow_up,
                "rating": c.rating,
                "rating_comment": c.rating_comment,
                "messages": [
                    {
                        "seq": m.seq,
                        "author": m.author.value,
                        "text": m.text,
                        "at": _when(m.created_at),
                        "data": m.data,
                    }
                    for m in messages
                    if m.conversation_id == c.id
                ],
                "events": [
                    {"seq": e.seq, "kind": e.kind.value, "data": e.data}
                    for e in events
                    if e.conversation_id == c.id
                ],
                "handoffs": [
                    {
                        "reason": h.reason.value,
                        "reasons": h.reasons,
                        "queue": h.queue,
                        "created_at": _when(h.created_at),
                        "resolved_at": _when(h.resolved_at),
                    }
                    for h in handoffs
                    if h.conversation_id == c.id
                ],
                # What the team wrote about the customer is their personal data too.
                "notes": [
                    {"by": n.author_name, "text": n.text, "created_at": _when(n.created_at)}
                    for n in notes
                    if n.conversation_id == c.id
                ],
                "labels": [lb.label for lb in labels if lb.conversation_id == c.id],
                # Bot answers the team flagged as wrong: the customer's question and what is right.
                "answer_flags": [
                    {
                        "seq": seqs.get(f.message_id),
                        "by": f.flagged_by_name,
                        "question": f.question,
                        "answered_article": f.answered_slug,
                        "right_article": f.right_slug,
                        "right_answer": f.right_text,
                        "note": f.note,
                        "created_at": _when(f.created_at),
                        "updated_at": _when(f.updated_at),
                    }
                    for f in flags
                    if f.conversation_id == c.id
                ],
            }
            for c in conversations
        ],
    }


def scrub(value: Any) -> Any:
    """Return ``value`` with every free-text field (``_TEXT_KEYS``) emptied, at any depth."""
    if isinstance(value, dict):
        return {k: (None if k in _TEXT_KEYS else scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


async def erase_customer(session: AsyncSession, email: str, *, actor: User | None = None) -> int:
    """Anonymise the customer with ``email`` and their conversations; return how many.

    The audit log names ``actor`` (None: the command line).
    """
    customer = await _customer(session, email)
    conversations = await repository.conversations_of(session, customer.id)
    await _erase(session, conversations, marker=ERASED)
    _forget_customer(customer)
    await audit.record(
        session,
        "customer.erased",
        actor=actor,
        target=f"customer {customer.id}",
        conversations=len(conversations),
    )
    return len(conversations)


@dataclass(frozen=True, slots=True)
class RetentionReport:
    conversations: int  # erased in this run
    customers: int  # forgotten: every conversation of theirs is erased and none is recent


async def apply_retention(
    session: AsyncSession, *, days: int, now: datetime | None = None
) -> RetentionReport:
    """Erase conversations resolved more than ``days`` ago, and customers left with nothing.

    What reports count (statuses, times, reasons, ratings) stays; the words go. Running it
    again erases only what has expired since.
    """
    if days < 1:
        raise InvalidInputError("The retention period is at least 1 day.")
    cutoff = (now or utc_now()) - timedelta(days=days)
    erased = 0
    while batch := await repository.expired_conversations(session, cutoff, RETENTION_BATCH):
        await _erase(session, batch, marker=EXPIRED)
        erased += len(batch)
    forgotten = await repository.customers_without_recent_conversations(session, cutoff)
    for customer in forgotten:
        _forget_customer(customer)
    if erased or forgotten:
        await audit.record(
            session,
            "retention.applied",
            target=f"older than {days} days",
            conversations=erased,
            customers=len(forgotten),
        )
    await session.flush()
    return RetentionReport(erased, len(forgotten))


async def _erase(
    session: AsyncSession, conversations: Sequence[Conversation], *, marker: str
) -> None:
    ids = [c.id for c in conversations]
    for message in await repository.messages_of(session, ids):
        message.text = marker
        message.client_msg_id = None
        message.data = {"kind": message.data.get("kind"), "erased": True}
    for event in await repository.events_of(session, ids):
        event.data = scrub(event.data)
    for handoff in await repository.handoffs_of(session, ids):
        handoff.brief = {}
        handoff.summary_state = None  # a model's summary still to come is not kept
        handoff.reasons = scrub(handoff.reasons)
        handoff.notes = scrub(handoff.notes)
    for note in await repository.notes_of(session, ids):
        note.text = marker
    for flag in await repository.answer_flags_of(session, ids):
        flag.question = marker
        flag.right_text = marker if flag.right_text else None
        flag.note = marker if flag.note else None
    await _erase_mail(session, ids)
    await repository.delete_pending_replies(session, ids)  # replies still to word: never sent
    now = utc_now()
    for conversation in conversations:
        _anonymise(conversation)
        conversation.erased_at = now
    await _forget_in_learning(session, ids)
    await session.flush()


async def _erase_mail(session: AsyncSession, ids: Sequence[str]) -> None:
    """Files, mail and webhook payloads go too; a mail keeps only its hashed Message-ID, so a
    copy fetched again is still recognised and not answered twice."""
    await repository.delete_attachments(session, ids)
    for mail in await repository.mails_of(session, ids):
        mail.raw = None
        mail.message_id = mail.sender = mail.recipient = mail.subject = ""
        mail.last_error = None
        if mail.status is MailStatus.PENDING:  # never sent now: its content is gone
            mail.status, mail.next_attempt_at = MailStatus.FAILED, None
    for thread in await repository.mail_threads_of(session, ids):
        thread.customer_address = thread.subject = ""
    for event in await repository.outbox_events_of(session, ids):  # webhooks not yet sent
        event.payload = {**event.payload, "data": {"conversation_id": event.conversation_id,
                                                   "erased": True}}  # fmt: skip


def _forget_customer(customer: Customer) -> None:
    customer.email = customer.name = customer.external_id = None
    customer.attributes = {}


def _anonymise(conversation: Conversation) -> None:
    conversation.contact_name = conversation.contact_email = None
    conversation.rating_comment = None
    conversation.follow_up = {}
    conversation.bot_state = {}
    conversation.idempotency_key_hash = None
    conversation.token_hash = hash_token(secrets.token_urlsafe(32))  # the old token is dead


async def _forget_in_learning(session: AsyncSession, ids: Sequence[str]) -> None:
    erased = set(ids)
    for proposal in await repository.proposals(session):
        cited = set(proposal.conversation_ids)
        if not cited & erased:
            continue
        if proposal.status is ProposalStatus.PENDING:
            await repository.delete_pending_proposal(session, proposal)
        else:  # reviewed: it is the company's knowledge now; only the provenance goes
            proposal.conversation_ids = [i for i in proposal.conversation_ids if i not in erased]
