"""The console's notes and labels on a conversation: add, remove, and the panels redrawn."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from tandem.auth.deps import CurrentAgent
from tandem.conversations.models import Conversation
from tandem.core.deps import SessionDep
from tandem.routing import labels, notes
from tandem.routing.access import access_conversation_as_agent
from tandem.web.templating import templates

router = APIRouter(prefix="/console", include_in_schema=False)


async def labels_context(session: SessionDep, conversation_id: str) -> dict[str, object]:
    return {
        "labels": await labels.labels_of(session, conversation_id),
        "known_labels": await labels.known_labels(session),
    }


async def _labels_panel(
    request: Request, session: SessionDep, conversation: Conversation
) -> HTMLResponse:
    context = {"conversation": conversation, **await labels_context(session, conversation.id)}
    return templates.TemplateResponse(request, "console/_labels.html", context)


@router.post("/conversations/{conversation_id}/notes/seen", status_code=204)
async def notes_seen(conversation_id: str, agent: CurrentAgent, session: SessionDep) -> Response:
    """The agent has the conversation open: the notes that mention them are read."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await notes.mark_seen(session, agent, conversation.id)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/notes", response_class=HTMLResponse)
async def add_note(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    text: Annotated[str, Form(max_length=notes.MAX_NOTE_CHARS)],
) -> HTMLResponse:
    """Add an internal note; @name mentions a colleague, who sees it on their queue page."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await notes.add_note(session, by=agent, conversation_id=conversation.id, text=text)
    context = {
        "conversation": conversation,
        "notes": await notes.notes_of(session, conversation.id),
    }
    return templates.TemplateResponse(request, "console/_notes.html", context)


@router.post("/conversations/{conversation_id}/labels", response_class=HTMLResponse)
async def add_label(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    label: Annotated[str, Form(max_length=200)],
) -> HTMLResponse:
    """Put a label on the conversation (again: nothing changes); the panel, redrawn."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await labels.add(session, by=agent, conversation_id=conversation.id, label=label)
    return await _labels_panel(request, session, conversation)


@router.post("/conversations/{conversation_id}/labels/{label}/delete", response_class=HTMLResponse)
async def remove_label(
    conversation_id: str,
    label: Annotated[str, Path(max_length=200)],
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
) -> HTMLResponse:
    """Take a label off the conversation; the panel, redrawn."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await labels.remove(session, conversation_id=conversation.id, label=label)
    return await _labels_panel(request, session, conversation)
