"""The customer side of the API: start a conversation, send messages, follow replies live."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from sse_starlette.sse import EventSourceResponse
from starlette.requests import Request

from tandem.bot import service as bot_service
from tandem.channels.api.throttle import check_message, check_new_conversation
from tandem.channels.email import service as email_service
from tandem.channels.serializers import messages_read, timeline_items
from tandem.channels.streams import resume_point, timeline_events
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.access import access_conversation_as_customer
from tandem.conversations.models import Conversation, ConversationStatus
from tandem.conversations.schemas import (
    ConversationCreate,
    ConversationRead,
    ConversationStarted,
    FollowUpCreate,
    MessageCreate,
    MessageRead,
    QueueInfo,
    RatingCreate,
    TimelineRead,
)
from tandem.conversations.service import Idempotency
from tandem.core import i18n
from tandem.core.deps import MAX_ROW_ID, SessionDep, SessionMakerDep, SettingsDep
from tandem.core.errors import ConflictError
from tandem.escalation import service as escalation_service
from tandem.routing import service as routing_service
from tandem.routing import waiting as routing_waiting

router = APIRouter(prefix="/api/v1/conversations", tags=["customer"])

AfterQuery = Annotated[
    int, Query(ge=0, le=MAX_ROW_ID, description="Return items with a larger sequence number.")
]


def _bearer(authorization: Annotated[str | None, Header()] = None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


async def _conversation(
    conversation_id: str,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(_bearer)],
) -> Conversation:
    return await access_conversation_as_customer(
        session, conversation_id, token, idle_days=settings.customer_token_idle_days
    )


CustomerConversation = Annotated[Conversation, Depends(_conversation)]


class TurnRead(BaseModel):
    message: MessageRead
    duplicate: bool
    handed_off: bool
    queue: QueueInfo | None
    last_seq: int


async def _read(
    session: AsyncSession, conversation: Conversation, settings: Settings
) -> ConversationRead:
    queue: QueueInfo | None = None
    agent_name: str | None = None
    handoff = await routing_service.open_handoff(session, conversation)
    if handoff is not None and conversation.status is ConversationStatus.WAITING:
        policy = (await escalation_service.active_policy(session)).policy
        queue = await routing_waiting.queue_info(
            session,
            handoff,
            policy=policy,
            average_handle_seconds=settings.average_handle_seconds,
            language=await conversation_service.customer_language(session, conversation.id),
        )
    if handoff is not None and handoff.claimed_by is not None:
        agent_name = (await routing_service.agent_names(session, [handoff])).get(handoff.claimed_by)
    return ConversationRead(
        id=conversation.id,
        status=conversation.status,
        last_seq=conversation.last_seq,
        created_at=conversation.created_at,
        rating=conversation.rating,
        queue=queue,
        agent_name=agent_name,
        follow_up=conversation.follow_up.get("kind"),
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def start_conversation(
    request: Request,
    body: ConversationCreate,
    session: SessionDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=16,
            max_length=200,
            pattern=r"^[\x21-\x7e]+$",
            description=(
                "A random key of the client's (16 to 200 printable characters): a retry with "
                "the same key returns the same conversation and token instead of a new one."
            ),
        ),
    ] = None,
) -> ConversationStarted:
    """Start a conversation; keep the returned token, it is the only key to it."""
    check_new_conversation(request, settings=settings)
    spoken = i18n.available()
    language = i18n.primary(body.language, spoken) or i18n.negotiate(
        request.headers.get("accept-language"), spoken
    )
    conversation, token = await bot_service.start(
        session,
        identity=body.customer,
        identity_secret=settings.identity_secret,
        config=bot_service.config_from(settings),
        language=language,
        idempotency=Idempotency(idempotency_key, settings.secret_key) if idempotency_key else None,
    )
    read = await _read(session, conversation, settings)
    return ConversationStarted(**read.model_dump(), token=token)


@router.get("/{conversation_id}")
async def get_conversation(
    conversation: CustomerConversation, session: SessionDep, settings: SettingsDep
) -> ConversationRead:
    """Return the conversation's status, and the queue position while waiting for a person."""
    return await _read(session, conversation, settings)


@router.post("/{conversation_id}/messages", status_code=status.HTTP_201_CREATED)
async def post_message(
    request: Request,
    body: MessageCreate,
    conversation: CustomerConversation,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> TurnRead:
    """Send a customer message; re-sending a ``client_msg_id`` returns 200 and changes nothing."""
    check_message(request, conversation_id=conversation.id, settings=settings)
    result = await bot_service.receive(
        session,
        conversation,
        text=body.text,
        client_msg_id=body.client_msg_id,
        config=bot_service.config_from(settings),
    )
    if result.duplicate:
        response.status_code = status.HTTP_200_OK
    return TurnRead(
        message=(await messages_read(session, [result.message]))[0],
        duplicate=result.duplicate,
        handed_off=bool(result.decision and result.decision.handoff),
        queue=result.queue,
        last_seq=conversation.last_seq,
    )


@router.get("/{conversation_id}/messages")
async def list_messages(
    conversation: CustomerConversation, session: SessionDep, after: AfterQuery = 0
) -> list[MessageRead]:
    """List messages with a sequence number above ``after``."""
    messages, _events = await conversation_service.timeline_after(
        session, conversation.id, after=after
    )
    return await messages_read(session, messages)


@router.get("/{conversation_id}/events")
async def list_events(
    conversation: CustomerConversation, session: SessionDep, after: AfterQuery = 0
) -> TimelineRead:
    """List messages and events after ``after``, in sequence order; resume from ``last_seq``."""
    messages, events = await conversation_service.timeline_after(
        session, conversation.id, after=after
    )
    items = await timeline_items(session, messages, events)
    return TimelineRead(items=items, last_seq=items[-1].seq if items else after)


@router.get("/{conversation_id}/stream", response_class=EventSourceResponse)
async def stream(
    request: Request,
    conversation: CustomerConversation,
    factory: SessionMakerDep,
    after: AfterQuery = 0,
) -> EventSourceResponse:
    """Follow the conversation live (server-sent events; each event id is its sequence number)."""
    start = resume_point(request, after)
    return EventSourceResponse(timeline_events(factory, conversation.id, after=start), ping=15)


@router.post("/{conversation_id}/handoff")
async def request_person(
    conversation: CustomerConversation, session: SessionDep, settings: SettingsDep
) -> ConversationRead:
    """Ask for a person. Always honoured; asking again while waiting changes nothing."""
    await bot_service.request_human(session, conversation, config=bot_service.config_from(settings))
    return await _read(session, conversation, settings)


@router.post("/{conversation_id}/follow-up")
async def follow_up(
    body: FollowUpCreate,
    conversation: CustomerConversation,
    session: SessionDep,
    settings: SettingsDep,
) -> ConversationRead:
    """Instead of waiting in the chat: leave an e-mail for a reply, or a number to call back.

    The conversation stays in the queue for a person; it is never handed back to the bot.
    With the e-mail channel on, what agents write from now on is mailed to that address, and
    the customer's answers by mail continue this conversation.
    """
    if conversation.status is not ConversationStatus.WAITING:
        raise ConflictError("You can leave your details while you wait for a person.")
    await routing_waiting.request_follow_up(
        session, conversation, email=str(body.email) if body.email else None, phone=body.phone
    )
    if body.email and settings.smtp_url:  # the reply reaches them by mail, and theirs comes back
        await email_service.start_thread(
            session, conversation, address=str(body.email), company=settings.company_name
        )
    return await _read(session, conversation, settings)


@router.post("/{conversation_id}/close")
async def close(
    conversation: CustomerConversation, session: SessionDep, settings: SettingsDep
) -> ConversationRead:
    """End the chat with the AI ("that answered my question"): resolved, ready to rate.

    409 while a person is handling it; closing again changes nothing.
    """
    await conversation_service.close_by_customer(session, conversation)
    return await _read(session, conversation, settings)


@router.post("/{conversation_id}/rating")
async def rate(
    body: RatingCreate,
    conversation: CustomerConversation,
    session: SessionDep,
    settings: SettingsDep,
) -> ConversationRead:
    """Rate a resolved conversation from 1 to 5, with an optional comment."""
    await conversation_service.rate(session, conversation, score=body.score, comment=body.comment)
    return await _read(session, conversation, settings)
