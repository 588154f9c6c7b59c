"""Turn stored messages and events into their API shapes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.conversations.models import Author, ConversationEvent, Message
from tandem.conversations.schemas import (
    AttachmentRead,
    EventRead,
    MessageRead,
    Source,
    TimelineItem,
)

BOT_NAME = "AI assistant"


def message_read(message: Message, agent_names: dict[int, str]) -> MessageRead:
    data = message.data
    name: str | None = None
    if message.author is Author.AGENT and message.agent_id is not None:
        name = agent_names.get(message.agent_id)
    elif message.author is Author.BOT:
        name = BOT_NAME
    return MessageRead(
        seq=message.seq,
        author=message.author,
        author_name=name,
        text=message.text,
        client_msg_id=message.client_msg_id,
        created_at=message.created_at,
        kind=data.get("kind"),
        confidence=data.get("confidence"),
        sources=[Source.model_validate(s) for s in data.get("sources", [])],
        suggestions=[Source.model_validate(s) for s in data.get("suggestions", [])],
        reasons=list(data.get("reasons", [])),
        quick_replies=[str(q) for q in data.get("quick_replies", [])],
        attachments=[AttachmentRead.model_validate(a) for a in data.get("attachments", [])],
    )


def event_read(event: ConversationEvent) -> EventRead:
    return EventRead(seq=event.seq, kind=event.kind, data=event.data, created_at=event.created_at)


async def timeline_items(
    session: AsyncSession, messages: Sequence[Message], events: Sequence[ConversationEvent]
) -> list[TimelineItem]:
    """Merge messages and events in sequence order."""
    agent_ids = [m.agent_id for m in messages if m.agent_id is not None]
    users = await auth_service.users_by_id(session, agent_ids) if agent_ids else {}
    names = {uid: user.name for uid, user in users.items()}
    items: list[TimelineItem] = [message_read(m, names) for m in messages]
    items.extend(event_read(e) for e in events)
    items.sort(key=lambda item: item.seq)
    return items


async def messages_read(session: AsyncSession, messages: Sequence[Message]) -> list[MessageRead]:
    return [
        item
        for item in await timeline_items(session, messages, [])
        if isinstance(item, MessageRead)
    ]
