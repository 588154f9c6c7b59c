"""The agent API's flags on bot answers: an agent says an answer was wrong, and what is right."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from tandem.auth.deps import CurrentAgent
from tandem.core.deps import SessionDep
from tandem.learning import flags
from tandem.learning.schemas import AnswerFlagCreate, AnswerFlagRead
from tandem.routing.access import access_conversation_as_agent

router = APIRouter(prefix="/api/v1/agent", tags=["agent"])


def _flag_read(view: flags.FlagView) -> AnswerFlagRead:
    flag = view.flag
    return AnswerFlagRead(
        id=flag.id,
        seq=view.seq,
        flagged_by=flag.flagged_by_name,
        flagged_by_id=flag.flagged_by,
        question=flag.question,
        answered_article=flag.answered_slug,
        right_article=flag.right_slug,
        right_answer=flag.right_text,
        note=flag.note,
        summary=view.summary,
        proposal_id=flag.proposal_id,
        created_at=flag.created_at,
        updated_at=flag.updated_at,
    )


@router.get("/conversations/{conversation_id}/flags")
async def list_flags(
    conversation_id: str, agent: CurrentAgent, session: SessionDep
) -> list[AnswerFlagRead]:
    """The bot answers flagged as wrong in the conversation, in timeline order."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    return [_flag_read(v) for v in await flags.flags_of(session, conversation.id)]


@router.post(
    "/conversations/{conversation_id}/flags",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "The agent had flagged this answer: the flag changed"}},
)
async def flag_answer(
    conversation_id: str,
    body: AnswerFlagCreate,
    agent: CurrentAgent,
    session: SessionDep,
    response: Response,
) -> AnswerFlagRead:
    """Flag the bot answer ``seq`` as wrong with the right article, the right answer or both:
    201, or 200 when it changes the agent's earlier flag on it. 404 when there is no message
    ``seq``, 409 when it is not a bot answer, 422 when nothing right is given or the article
    does not exist. The flag puts a proposal in the supervisors' review queue."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    change = await flags.do_flag_answer(
        session,
        conversation,
        by=agent,
        seq=body.seq,
        right_slug=body.right_article,
        right_text=body.right_answer,
        note=body.note,
    )
    if not change.created:
        response.status_code = status.HTTP_200_OK
    views = await flags.flags_of(session, conversation.id)
    return _flag_read(next(v for v in views if v.flag.id == change.flag.id))
