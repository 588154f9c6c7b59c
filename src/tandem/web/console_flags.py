"""The console's flags on bot answers: the form under an answer, and the flags shown beside it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.deps import CurrentAgent
from tandem.auth.models import User
from tandem.conversations.models import Conversation
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.knowledge import service as knowledge_service
from tandem.learning import flags
from tandem.routing.access import access_conversation_as_agent
from tandem.web.templating import templates

router = APIRouter(prefix="/console", include_in_schema=False)
Seq = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


async def flags_context(session: SessionDep, conversation_id: str) -> dict[str, object]:
    """What the conversation page shows beside each flagged answer, by sequence number."""
    views = await flags.flags_of(session, conversation_id)
    return {"answer_flags": flags.summaries_by_seq(views)}


async def _render(
    request: Request,
    session: AsyncSession,
    conversation: Conversation,
    agent: User,
    seq: int,
    *,
    template: str,
    saved: bool = False,
) -> HTMLResponse:
    views = await flags.flags_of(session, conversation.id)
    context = {
        "conversation": conversation,
        "seq": seq,
        "summaries": [v.summary for v in views if v.seq == seq],
        "mine": flags.own_flag(views, seq=seq, agent=agent),
        "articles": await knowledge_service.list_articles(session),
        "max_answer": flags.MAX_ANSWER_CHARS,
        "max_note": flags.MAX_NOTE_CHARS,
        "saved": saved,
    }
    return templates.TemplateResponse(request, template, context)


@router.get("/conversations/{conversation_id}/flags/{seq}", response_class=HTMLResponse)
async def flag_form(
    conversation_id: str, seq: Seq, request: Request, agent: CurrentAgent, session: SessionDep
) -> HTMLResponse:
    """The form to flag the bot's answer ``seq`` as wrong, with the agent's flag filled in."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await flags.answer_at(session, conversation, seq)
    return await _render(
        request, session, conversation, agent, seq, template="console/_flag_form.html"
    )


@router.post("/conversations/{conversation_id}/flags/{seq}", response_class=HTMLResponse)
async def flag_answer(
    conversation_id: str,
    seq: Seq,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    right_article: Annotated[str, Form(max_length=200)] = "",
    right_answer: Annotated[str, Form(max_length=flags.MAX_ANSWER_CHARS)] = "",
    note: Annotated[str, Form(max_length=flags.MAX_NOTE_CHARS)] = "",
) -> HTMLResponse:
    """Flag the answer as wrong (again: the flag changes); its flags and form, redrawn."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await flags.do_flag_answer(
        session,
        conversation,
        by=agent,
        seq=seq,
        right_slug=right_article,
        right_text=right_answer,
        note=note,
    )
    return await _render(
        request,
        session,
        conversation,
        agent,
        seq,
        template="console/_answer_flags.html",
        saved=True,
    )
