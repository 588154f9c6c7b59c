"""What a customer waiting for a person is told: place, wait or opening hours, and how to be
reached instead of waiting."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, EventKind
from tandem.conversations.schemas import QueueInfo
from tandem.core.errors import InvalidInputError
from tandem.core.events import QUEUE_CHANNEL, notify_after_commit
from tandem.core.time import utc_now
from tandem.escalation.config import Policy
from tandem.routing import assignment, messages, repository
from tandem.routing.estimate import estimate_wait_seconds
from tandem.routing.hours import describe_opening, is_open, next_opening
from tandem.routing.models import Handoff


async def queue_info(
    session: AsyncSession,
    handoff: Handoff,
    *,
    policy: Policy,
    average_handle_seconds: int,
    language: str | None = None,
) -> QueueInfo:
    """Return a waiting customer's place in the queue, the expected wait, and opening hours.

    The wait is said in ``language`` (the customer's; English when Tandem does not speak it).
    """
    position = await repository.position_in_queue(session, handoff)
    config = assignment.queue_config(policy, handoff.queue)
    now = utc_now()
    online = await auth_service.count_online_agents(session)
    # Outside business hours the team is closed, unless someone is working anyway.
    if not is_open(config, now) and online == 0:
        opening = next_opening(config, now)
        text = messages.back(
            describe_opening(config, opening, language) if opening else None, language
        )
        return QueueInfo(
            position=position, estimated_wait_seconds=None, estimated_wait_text=text, open=False
        )
    wait = estimate_wait_seconds(
        position=position, agents_online=online, average_handle_seconds=average_handle_seconds
    )
    return QueueInfo(
        position=position,
        estimated_wait_seconds=wait,
        estimated_wait_text=messages.wait(wait, language),
        open=True,
    )


def wait_text(info: QueueInfo, *, opening: str, language: str | None) -> str:
    """What the customer reads on joining the queue: the opening, then the wait or the hours."""
    if info.open:
        return messages.waiting(
            position=info.position,
            wait_seconds=info.estimated_wait_seconds,
            opening=opening,
            language=language,
        )
    closed = messages.closed(
        when_back=info.estimated_wait_text, position=info.position, language=language
    )
    return f"{opening} {closed}"


async def request_follow_up(
    session: AsyncSession, conversation: Conversation, *, email: str | None, phone: str | None
) -> None:
    """Record how the customer wants to be reached instead of waiting; the chat stays queued."""
    if not email and not phone:
        raise InvalidInputError("Leave an e-mail address or a phone number.")
    conversation.follow_up = {
        "email": email,
        "phone": phone,
        "kind": "callback" if phone else "email",
        "requested_at": utc_now().isoformat(),
    }
    await conversation_service.append_event(
        session,
        conversation,
        kind=EventKind.FOLLOW_UP,
        data={"kind": conversation.follow_up["kind"]},
    )
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=messages.follow_up_noted(
            email=email,
            phone=phone,
            language=await conversation_service.customer_language(session, conversation.id),
        ),
        data={"kind": "follow_up"},
    )
    notify_after_commit(session, QUEUE_CHANNEL)
