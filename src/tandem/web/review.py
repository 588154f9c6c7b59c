"""Supervisor pages: review what the bot learned from people, and the questions it misses."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import AgentSession, CurrentAgent
from tandem.auth.models import User
from tandem.config import Settings
from tandem.core.deps import RowId, SessionDep, SettingsDep
from tandem.jobs.tasks import RETRAIN_INTENTS
from tandem.knowledge.regression import Change
from tandem.learning import flags, golden
from tandem.learning import service as learning_service
from tandem.learning.models import ARTICLE_KINDS, ProposalStatus
from tandem.learning.retrain import intent_training
from tandem.web.templating import templates
from tandem.web.translations import N_

router = APIRouter(prefix="/console/review", include_in_schema=False)


INTENT_NOTICES = {
    "retraining": N_(
        "Published. The intent model is retraining with the new examples; the bot "
        "picks it up on its next turn."
    ),
    "unconfigured": N_("Published. No intent model configured; examples stored."),
}
GOLDEN_NOTICES = {
    "accepted": N_(
        "Accepted. The question joins the golden questions replayed before every knowledge change."
    ),
}


async def _render_review(
    request: Request,
    session: AsyncSession,
    *,
    agent: User,
    csrf_token: str,
    settings: Settings,
    notice: str | None = None,
    refused: learning_service.RegressionsNeedOverrideError | None = None,
    edited: tuple[str, str, str] | None = None,
) -> HTMLResponse:
    pending = await learning_service.list_proposals(session, status=ProposalStatus.PENDING)
    approved = await learning_service.list_proposals(
        session, status=ProposalStatus.APPROVED, limit=20, kinds=ARTICLE_KINDS
    )
    effects = [(p, *await learning_service.effect(session, p)) for p in approved]
    check = await learning_service.regression_check(
        session, settings.knowledge_golden_path, threshold=settings.answer_threshold
    )
    previews: dict[int, list[Change]] = {}
    if check is not None:
        articles = [p for p in pending if p.kind in ARTICLE_KINDS]
        edits = [(p.slug, p.title, p.body) for p in articles]
        found = await learning_service.preview_changes(session, edits, check=check)
        previews = {p.id: changes for p, changes in zip(articles, found, strict=True)}
    if refused is not None:
        previews[refused.proposal.id] = refused.changes
    return templates.TemplateResponse(
        request,
        "console/review.html",
        {
            "agent": agent,
            "csrf_token": csrf_token,
            "pending": pending,
            "flags": await flags.flags_behind(session, [p.id for p in pending]),
            "answered_now": await golden.answered_now(
                session, pending, threshold=settings.answer_threshold
            ),
            "learned_golden": await golden.accepted(session),
            "effects": effects,
            "previews": previews,
            "checked": check is not None,
            "notice": notice,
            "refused": refused,
            "edited": edited,
        },
        status_code=409 if refused is not None else 200,
    )


@router.get("", response_class=HTMLResponse)
async def review_page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    settings: SettingsDep,
    intents: Annotated[str | None, Query(max_length=20)] = None,
    accepted: Annotated[str | None, Query(alias="golden", max_length=20)] = None,
) -> HTMLResponse:
    agent, auth = pair
    require_role(agent, SUPERVISORS, doing="review what the bot learned")
    return await _render_review(
        request,
        session,
        agent=agent,
        csrf_token=auth.csrf_token,
        settings=settings,
        notice=INTENT_NOTICES.get(intents or "") or GOLDEN_NOTICES.get(accepted or ""),
    )


@router.post("/{proposal_id}/approve")
async def approve(
    request: Request,
    proposal_id: RowId,
    pair: AgentSession,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    title: Annotated[str, Form(min_length=3, max_length=300)],
    body: Annotated[str, Form(min_length=1, max_length=20_000)],
    examples: Annotated[str, Form(max_length=20_000)] = "",
    publish_anyway: Annotated[bool, Form()] = False,
) -> Response:
    """Publish the proposal as edited, unless golden answers regress without the override.

    Its examples join the training set; a configured intent model retrains after the commit.
    """
    agent, auth = pair
    require_role(agent, SUPERVISORS, doing="approve a proposal")
    proposal = await learning_service.get_proposal(session, proposal_id)
    check = await learning_service.regression_check(
        session, settings.knowledge_golden_path, threshold=settings.answer_threshold
    )
    try:
        await learning_service.do_approve(
            session,
            proposal,
            reviewer=agent,
            title=title,
            body=body,
            examples=examples.splitlines(),
            check=check,
            publish_anyway=publish_anyway,
        )
    except learning_service.RegressionsNeedOverrideError as refused:
        return await _render_review(
            request,
            session,
            agent=agent,
            csrf_token=auth.csrf_token,
            settings=settings,
            refused=refused,
            edited=(title, body, examples),
        )
    setup = intent_training(settings.model_dir, settings.intent_training_data)
    if setup is None:
        return RedirectResponse("/console/review?intents=unconfigured", status_code=303)
    # Background tasks run after the session dependency has committed the approval; the job
    # runner then trains on every approved example (a job already waiting covers this one).
    background.add_task(request.app.state.jobs.defer, RETRAIN_INTENTS)
    return RedirectResponse("/console/review?intents=retraining", status_code=303)


@router.post("/{proposal_id}/accept")
async def accept(proposal_id: RowId, agent: CurrentAgent, session: SessionDep) -> Response:
    """Accept a golden question proposed by a flagged answer; it publishes nothing."""
    require_role(agent, SUPERVISORS, doing="accept a golden question")
    proposal = await learning_service.get_proposal(session, proposal_id)
    await golden.do_accept(session, proposal, reviewer=agent)
    return RedirectResponse("/console/review?golden=accepted", status_code=303)


@router.post("/{proposal_id}/reject")
async def reject(proposal_id: RowId, agent: CurrentAgent, session: SessionDep) -> Response:
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
