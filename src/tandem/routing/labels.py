"""Labels on conversations: short names the team sorts and finds conversations by.

A label is normalised before it is stored or looked up: trimmed, lower-cased, each run of
spaces turned into one ``-``; what remains is 1 to 40 letters (any script, with their accents
and vowel signs), digits, ``-`` and ``_``, at least one of them a letter or digit. So
"Refund  Request" and "refund-request" are the same label. A conversation carries a label at
most once: adding it again changes nothing, and so does removing one it does not carry.

Labels are for the team and say what a conversation is about, not who the customer is: they
are in a customer's data export, and erasure keeps them (see ``privacy.service``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations.models import Conversation, ConversationStatus, Customer
from tandem.core.errors import InvalidInputError
from tandem.core.events import QUEUE_CHANNEL, notify_after_commit
from tandem.routing.models import ConversationLabel

MAX_LABEL_CHARS = 40
KNOWN_SHOWN = 200  # suggestions offered while typing: the most used labels
_SPACES = re.compile(r"\s+")


def _allowed(char: str) -> bool:
    # Letters, marks (accents, vowel signs: Hindi needs them) and digits of any script.
    return char in "-_" or unicodedata.category(char)[0] in "LMN"


def normalise(label: str) -> str:
    """Return the stored form of ``label``; InvalidInputError saying why when there is none."""
    name = _SPACES.sub("-", unicodedata.normalize("NFC", label).strip().lower())
    if not name:
        raise InvalidInputError("Write a label, such as refund or vip.")
    if len(name) > MAX_LABEL_CHARS:
        raise InvalidInputError(
            f"A label holds at most {MAX_LABEL_CHARS} characters; {name!r} has {len(name)}."
        )
    refused = sorted({c for c in name if not _allowed(c)})
    if refused:
        shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in refused)
        raise InvalidInputError(
            f"A label holds only letters, digits, - and _; remove {shown} from {name!r}."
        )
    if not any(c.isalnum() for c in name):
        raise InvalidInputError(f"A label needs a letter or digit; {name!r} has none.")
    if unicodedata.category(name[0]).startswith("M"):
        raise InvalidInputError(f"A label starts with a letter or digit, not an accent: {name!r}.")
    return name


@dataclass(frozen=True, slots=True)
class LabelChange:
    """The normalised label, and whether the conversation's labels changed."""

    label: str
    changed: bool


@dataclass(frozen=True, slots=True)
class KnownLabel:
    label: str
    conversations: int


async def _find(session: AsyncSession, conversation_id: str, label: str) -> int | None:
    query = select(ConversationLabel.id).where(
        ConversationLabel.conversation_id == conversation_id, ConversationLabel.label == label
    )
    return (await session.scalars(query)).first()


async def add(session: AsyncSession, *, by: User, conversation_id: str, label: str) -> LabelChange:
    """Put ``label`` on the conversation, unless it is there already (also when another request
    adds it at the same moment)."""
    name = normalise(label)
    if await _find(session, conversation_id, name) is not None:
        return LabelChange(name, changed=False)
    try:
        async with session.begin_nested():
            session.add(
                ConversationLabel(conversation_id=conversation_id, label=name, added_by=by.id)
            )
    except IntegrityError:
        if await _find(session, conversation_id, name) is None:
            raise
        return LabelChange(name, changed=False)
    notify_after_commit(session, QUEUE_CHANNEL)  # the queue shows labels and filters by them
    return LabelChange(name, changed=True)


async def remove(session: AsyncSession, *, conversation_id: str, label: str) -> LabelChange:
    """Take ``label`` off the conversation, if it carries it."""
    name = normalise(label)
    result = await session.execute(
        delete(ConversationLabel).where(
            ConversationLabel.conversation_id == conversation_id, ConversationLabel.label == name
        )
    )
    removed = bool(result.rowcount)  # type: ignore[attr-defined]
    if removed:
        notify_after_commit(session, QUEUE_CHANNEL)
    return LabelChange(name, changed=removed)


async def labels_of(session: AsyncSession, conversation_id: str) -> list[str]:
    """The conversation's labels, alphabetically."""
    return (await labels_of_many(session, [conversation_id])).get(conversation_id, [])


async def labels_of_many(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> dict[str, list[str]]:
    """Each conversation's labels, alphabetically (one query; unlabelled ones are left out)."""
    if not conversation_ids:
        return {}
    rows = await session.execute(
        select(ConversationLabel.conversation_id, ConversationLabel.label)
        .where(ConversationLabel.conversation_id.in_(set(conversation_ids)))
        .order_by(ConversationLabel.label)
    )
    found: dict[str, list[str]] = {}
    for conversation_id, name in rows:
        found.setdefault(conversation_id, []).append(name)
    return found


async def conversations_with(
    session: AsyncSession,
    label: str,
    *,
    status: ConversationStatus | None = None,
    limit: int = 100,
) -> list[tuple[Conversation, Customer]]:
    """Conversations carrying ``label`` (optionally only those in ``status``), latest activity
    first, each with its customer."""
    query = (
        select(Conversation, Customer)
        .join(Customer, Customer.id == Conversation.customer_id)
        .join(ConversationLabel, ConversationLabel.conversation_id == Conversation.id)
        .where(ConversationLabel.label == normalise(label))
        .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(Conversation.status == status)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def known_labels(session: AsyncSession, *, limit: int = KNOWN_SHOWN) -> list[KnownLabel]:
    """Labels in use, most used first (then alphabetically), with how many conversations carry
    each: the suggestions offered while typing one."""
    count = func.count(ConversationLabel.id)
    rows = await session.execute(
        select(ConversationLabel.label, count)
        .group_by(ConversationLabel.label)
        .order_by(count.desc(), ConversationLabel.label)
        .limit(limit)
    )
    return [KnownLabel(name, conversations) for name, conversations in rows]
