"""The agent side of the API: the queue, claiming, replying and resolving."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession
from sse_starlette.sse import EventSourceResponse
from starlette.requests import Request

from tandem.auth.deps import CurrentAgent
from tandem.bot import service as bot_service
from tandem.bot import takeover
from tandem.channels.email import service as email_service
from tandem.channels.serializers import messages_read, timeline_items
from tandem.channels.streams import resume_point, timeline_events
from tandem.conversations import search
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, ConversationStatus
from tandem.conversations.schemas import MessageCreate, MessageRead, TimelineRead
from tandem.core.deps import MAX_ROW_ID, SessionDep, SessionMakerDep, SettingsDep
from tandem.escalation.deps import PolicyDep
from tandem.learning import service as learning_service
from tandem.routing import labels, notes
from tandem.routing import service as routing_service
from tandem.routing.access import access_conversation_as_agent
from tandem.routing.models import Handoff
from tandem.routing.schemas import HandoffRead, LabelCreate, LabelsRead, NoteCreate, NoteRead

router = APIRouter(prefix="/api/v1/agent", tags=["agent"])

AfterQuery = Annotated[int, Query(ge=0, le=MAX_ROW_ID)]


class AgentConversationRead(BaseModel):
    id: str
    status: str
    last_seq: int
    handoff: HandoffRead | None
    timeline: TimelineRead


async def handoff_read(
    session: AsyncSession, handoff: Handoff, conversation: Conversation
) -> HandoffRead:
    names = await routing_service.agent_names(session, [handoff])
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    return HandoffRead(
        id=handoff.id,
        conversation_id=handoff.conversation_id,
        status=handoff.status,
        queue=handoff.queue,
        priority=handoff.priority,
        reason=handoff.reason.value,
        reasons=handoff.reasons,
        brief=handoff.brief,
        created_at=handoff.created_at,
        claimed_at=handoff.claimed_at,
        claimed_by=handoff.claimed_by,
        claimed_by_name=names.get(handoff.claimed_by) if handoff.claimed_by else None,
        customer_name=customer.name or conversation.contact_name,
        customer_tier=customer.tier.value,
        last_seq=conversation.last_seq,
    )


@router.get("/queue")
async def queue(agent: CurrentAgent, session: SessionDep) -> list[HandoffRead]:
    """List conversations waiting for a person: highest priority first, then longest waiting."""
    entries = await routing_service.list_queue(session)
    return [await handoff_read(session, e.handoff, e.conversation) for e in entries]


class CustomerSummary(BaseModel):
    id: int
    name: str | None
    email: str | None
    tier: str


class ConversationSummary(BaseModel):
    id: str
    status: str
    channel: str
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    assigned_agent_id: int | None
    topic: str | None
    rating: int | None
    last_seq: int
    customer: CustomerSummary


class ConversationPage(BaseModel):
    items: list[ConversationSummary]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page."
    )
    next: str | None = Field(description="The same cursor (the name integrations expect).")


@router.get("/conversations")
async def list_conversations(
    agent: CurrentAgent,
    session: SessionDep,
    status: ConversationStatus | None = None,
    channel: Annotated[str | None, Query(max_length=32)] = None,
    assigned_to: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    customer_email: Annotated[str | None, Query(max_length=320)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in a message.")] = None,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=search.MAX_PAGE)] = 25,
) -> ConversationPage:
    """List and search conversations, newest activity first, a page at a time."""
    filters = search.Filters(status, channel, assigned_to, customer_email, q)
    page = await search.search(session, filters, cursor=cursor, limit=limit)
    return ConversationPage(
        items=[
            ConversationSummary(
                id=c.id,
                status=c.status.value,
                channel=c.channel,
                created_at=c.created_at,
                updated_at=c.updated_at,
                resolved_at=c.resolved_at,
                assigned_agent_id=c.assigned_agent_id,
                topic=c.topic,
                rating=c.rating,
                last_seq=c.last_seq,
                customer=CustomerSummary(
                    id=customer.id,
                    name=customer.name or c.contact_name,
                    email=customer.email or c.contact_email,
                    tier=customer.tier.value,
                ),
            )
            for c, customer in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next_cursor,
    )


# Integrations list conversations at the collection's own address, with an API token.
integrations_router = APIRouter(prefix="/api/v1", tags=["integrations"])
integrations_router.get("/conversations", summary="List and search conversations")(
    list_conversations
)


@router.get("/conversations/{conversation_id}")
async def get_conversation(
    conversation_id: str, agent: CurrentAgent, session: SessionDep
) -> AgentConversationRead:
    """Return a conversation with its handoff (reasons and brief) and its whole timeline."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    handoff = await routing_service.latest_handoff(session, conversation)
    messages, events = await conversation_service.timeline_after(session, conversation.id, after=0)
    items = await timeline_items(session, messages, events)
    return AgentConversationRead(
        id=conversation.id,
        status=conversation.status.value,
        last_seq=conversation.last_seq,
        handoff=await handoff_read(session, handoff, conversation) if handoff else None,
        timeline=TimelineRead(items=items, last_seq=items[-1].seq if items else 0),
    )


@router.get("/conversations/{conversation_id}/events")
async def list_events(
    conversation_id: str, agent: CurrentAgent, session: SessionDep, after: AfterQuery = 0
) -> TimelineRead:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    messages, events = await conversation_service.timeline_after(
        session, conversation.id, after=after
    )
    items = await timeline_items(session, messages, events)
    return TimelineRead(items=items, last_seq=items[-1].seq if items else after)


@router.get("/conversations/{conversation_id}/stream", response_class=EventSourceResponse)
async def stream(
    request: Request,
    conversation_id: str,
    agent: CurrentAgent,
    session: SessionDep,
    factory: SessionMakerDep,
    after: AfterQuery = 0,
) -> EventSourceResponse:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    start = resume_point(request, after)
    return EventSourceResponse(timeline_events(factory, conversation.id, after=start), ping=15)


@router.post("/conversations/{conversation_id}/claim")
async def claim(
    conversation_id: str, agent: CurrentAgent, session: SessionDep, policy: PolicyDep
) -> HandoffRead:
    """Take a waiting conversation; 409 if another agent was faster."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    handoff = await routing_service.claim(
        session, agent=agent, conversation=conversation, policy=policy
    )
    return await handoff_read(session, handoff, conversation)


@router.post("/conversations/{conversation_id}/take-over")
async def take_over(
    conversation_id: str, agent: CurrentAgent, session: SessionDep, settings: SettingsDep
) -> HandoffRead:
    """Take a conversation over from the bot: it goes silent and the customer reads that a
    person is joining; 409 when the conversation is not with the bot."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await takeover.take_over(session, conversation, agent, config=bot_service.config_from(settings))
    handoff = await routing_service.open_handoff(session, conversation)
    assert handoff is not None
    return await handoff_read(session, handoff, conversation)


def _note_read(view: notes.NoteView) -> NoteRead:
    note = view.note
    return NoteRead(
        id=note.id,
        author_name=note.author_name,
        text=note.text,
        mentions=list(view.mentions),
        created_at=note.created_at,
    )


@router.get("/conversations/{conversation_id}/notes")
async def list_notes(
    conversation_id: str, agent: CurrentAgent, session: SessionDep
) -> list[NoteRead]:
    """The conversation's internal notes, oldest first (customers never see them)."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    return [_note_read(v) for v in await notes.notes_of(session, conversation.id)]


@router.post("/conversations/{conversation_id}/notes", status_code=status.HTTP_201_CREATED)
async def add_note(
    conversation_id: str, body: NoteCreate, agent: CurrentAgent, session: SessionDep
) -> NoteRead:
    """Add an internal note; each @name must name one active team member (else 422)."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    note = await notes.add_note(session, by=agent, conversation_id=conversation.id, text=body.text)
    views = await notes.notes_of(session, conversation.id)
    return _note_read(next(v for v in views if v.note.id == note.id))


async def _labels_read(session: AsyncSession, conversation: Conversation) -> LabelsRead:
    return LabelsRead(
        conversation_id=conversation.id, labels=await labels.labels_of(session, conversation.id)
    )


@router.get("/conversations/{conversation_id}/labels")
async def list_labels(conversation_id: str, agent: CurrentAgent, session: SessionDep) -> LabelsRead:
    """The conversation's labels, alphabetically (customers never see them)."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    return await _labels_read(session, conversation)


@router.post(
    "/conversations/{conversation_id}/labels",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "The conversation carried the label already"}},
)
async def add_label(
    conversation_id: str,
    body: LabelCreate,
    agent: CurrentAgent,
    session: SessionDep,
    response: Response,
) -> LabelsRead:
    """Put a label on the conversation: 201, or 200 when it was there already (nothing changes);
    422 for a label that cannot be one."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    change = await labels.add(session, by=agent, conversation_id=conversation.id, label=body.label)
    if not change.changed:
        response.status_code = status.HTTP_200_OK
    return await _labels_read(session, conversation)


@router.delete("/conversations/{conversation_id}/labels/{label}")
async def remove_label(
    conversation_id: str,
    label: Annotated[str, Path(max_length=200)],
    agent: CurrentAgent,
    session: SessionDep,
) -> LabelsRead:
    """Take a label off the conversation (whether or not it carried it); the labels left."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await labels.remove(session, conversation_id=conversation.id, label=label)
    return await _labels_read(session, conversation)


@router.post("/conversations/{conversation_id}/messages", status_code=status.HTTP_201_CREATED)
async def reply(
    conversation_id: str,
    body: MessageCreate,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
) -> MessageRead:
    """Reply to the customer (claims a waiting conversation first); idempotent per client_msg_id."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    message = await routing_service.reply(
        session,
        agent=agent,
        conversation=conversation,
        text=body.text,
        client_msg_id=body.client_msg_id,
        policy=policy,
    )
    return (await messages_read(session, [message]))[0]


@router.post("/conversations/{conversation_id}/resolve")
async def resolve(
    conversation_id: str,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
    settings: SettingsDep,
) -> HandoffRead:
    """Mark the conversation resolved; the customer is invited to rate it.

    If the bot could not answer something the person then did, a proposal awaits review.
    """
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    handoff = await learning_service.do_resolve(
        session,
        agent=agent,
        conversation=conversation,
        policy=policy,
        answer_threshold=settings.answer_threshold,
    )
    return await handoff_read(session, handoff, conversation)


class MailRead(BaseModel):
    direction: str
    status: str
    subject: str
    sender: str
    recipient: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


@router.get("/conversations/{conversation_id}/mail")
async def list_mail(
    conversation_id: str, agent: CurrentAgent, session: SessionDep
) -> list[MailRead]:
    """The conversation's e-mails in and out, with each reply's delivery status."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    return [
        MailRead(
            direction=mail.direction.value,
            status=mail.status.value,
            subject=mail.subject,
            sender=mail.sender,
            recipient=mail.recipient,
            attempts=mail.attempts,
            last_error=mail.last_error,
            created_at=mail.created_at,
            sent_at=mail.sent_at,
        )
        for mail in await email_service.conversation_mails(session, conversation)
    ]


@router.get(
    "/conversations/{conversation_id}/attachments/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download_attachment(
    conversation_id: str,
    attachment_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    agent: CurrentAgent,
    session: SessionDep,
) -> Response:
    """Download a file the customer sent; always as a download, never shown inline."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    attachment = await conversation_service.get_attachment(session, conversation, attachment_id)
    return Response(
        content=attachment.content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": content_disposition(attachment.filename),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, no-store",
        },
    )


def content_disposition(filename: str) -> str:
    """An ``attachment`` header that survives any file name (RFC 6266 / RFC 5987)."""
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in filename)
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{plain or 'attachment'}\"; filename*=UTF-8''{encoded}"
