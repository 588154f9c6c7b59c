"""Supervisor pages: review what the bot learned from people, and the questions it misses."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import AgentSession, CurrentAgent
from tandem.core.deps import SessionDep
from tandem.learning import service as learning_service
from tandem.learning.models import ProposalStatus
from tandem.web.templating import templates

router = APIRouter(prefix="/console/review", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def review_page(request: Request, pair: AgentSession, session: SessionDep) -> HTMLResponse:
    agent, auth = pair
    require_role(agent, SUPERVISORS, doing="review what the bot learned")
    pending = await learning_service.list_proposals(session, status=ProposalStatus.PENDING)
    approved = await learning_service.list_proposals(
        session, status=ProposalStatus.APPROVED, limit=20
    )
    effects = [(p, *await learning_service.effect(session, p)) for p in approved]
    return templates.TemplateResponse(
        request,
        "console/review.html",
        {"agent": agent, "csrf_token": auth.csrf_token, "pending": pending, "effects": effects},
    )


@router.post("/{proposal_id}/approve")
async def approve(
    proposal_id: int,
    agent: CurrentAgent,
    session: SessionDep,
    title: Annotated[str, Form(min_length=3, max_length=300)],
    body: Annotated[str, Form(min_length=1, max_length=20_000)],
    examples: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Publish the proposal as edited; its examples join the training set."""
    require_role(agent, SUPERVISORS, doing="approve a proposal")
    proposal = await learning_service.get_proposal(session, proposal_id)
    await learning_service.do_approve(
        session, proposal, reviewer=agent, title=title, body=body, examples=examples.splitlines()
    )
    return RedirectResponse("/console/review", status_code=303)


@router.post("/{proposal_id}/reject")
async def reject(proposal_id: int, agent: CurrentAgent, session: SessionDep) -> Response:
    require_role(agent, SUPERVISORS, doing="reject a proposal")
    proposal = await learning_service.get_proposal(session, proposal_id)
    await learning_service.do_reject(session, proposal, reviewer=agent)
    return RedirectResponse("/console/review", status_code=303)


@router.get("/gaps", response_class=HTMLResponse)
async def gaps_page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> HTMLResponse:
    agent, auth = pair
    require_role(agent, SUPERVISORS, doing="see the gap report")
    report = await learning_service.gap_report(session, days=days)
    return templates.TemplateResponse(
        request,
        "console/review_gaps.html",
        {"agent": agent, "csrf_token": auth.csrf_token, "gaps": report, "days": days},
    )


@router.post("/gaps/draft")
async def draft_from_gap(
    agent: CurrentAgent,
    session: SessionDep,
    example: Annotated[list[str], Form(max_length=50)],
    conversation: Annotated[list[str], Form(max_length=500)],
) -> Response:
    """Open a proposal for the gap; it waits in the review queue for an answer."""
    require_role(agent, SUPERVISORS, doing="draft an article")
    await learning_service.do_draft_from_gap(
        session, examples=example, conversation_ids=conversation
    )
    return RedirectResponse("/console/review", status_code=303)


@router.get("/training.jsonl", response_class=PlainTextResponse)
async def training_set(agent: CurrentAgent, session: SessionDep) -> PlainTextResponse:
    """Download approved training examples as JSONL, the format ``tandem nlu train`` reads."""
    require_role(agent, SUPERVISORS, doing="download the training set")
    examples = await learning_service.training_examples(session)
    lines = "".join(json.dumps({"text": t, "intent": i}) + "\n" for t, i in examples)
    return PlainTextResponse(
        lines,
        media_type="application/jsonl",
        headers={"Content-Disposition": 'attachment; filename="learned-intents.jsonl"'},
    )
