"""The agent console: log in, watch the queue live, open, claim, reply, resolve."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse

from tandem.auth import service as auth_service
from tandem.auth.deps import SESSION_COOKIE, AgentSession, CurrentAgent
from tandem.auth.routes import set_session_cookie
from tandem.channels.streams import queue_events
from tandem.conversations import service as conversation_service
from tandem.conversations.schemas import MessageText
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import AuthenticationError
from tandem.core.time import utc_now
from tandem.escalation.deps import PolicyDep
from tandem.routing import service as routing_service
from tandem.routing.access import access_conversation_as_agent
from tandem.web.templating import templates

router = APIRouter(prefix="/console", include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would make the login page a phishing tool.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/console"


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request, next_: Annotated[str | None, Query(alias="next")] = None
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "console/login.html", {"next": _safe_next(next_), "error": None}
    )


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next_: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    try:
        result = await auth_service.log_in(
            session,
            email=email,
            password=password,
            max_age_seconds=settings.session_max_age_seconds,
        )
    except AuthenticationError as error:
        return templates.TemplateResponse(
            request,
            "console/login.html",
            {"next": _safe_next(next_), "error": error.message, "email": email},
            status_code=401,
        )
    response = RedirectResponse(_safe_next(next_), status_code=303)
    set_session_cookie(response, result.token, settings)
    return response


@router.post("/logout")
async def logout(request: Request, pair: AgentSession, session: SessionDep) -> Response:
    await auth_service.log_out(session, user=pair[0], token=request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _queue_context(session: SessionDep, agent: CurrentAgent) -> dict[str, object]:
    waiting = await routing_service.list_queue(session)
    mine = await routing_service.list_mine(session, agent)
    return {"waiting": waiting, "mine": mine, "now": utc_now(), "agent": agent}


@router.get("", response_class=HTMLResponse)
async def queue_page(request: Request, pair: AgentSession, session: SessionDep) -> HTMLResponse:
    agent, auth = pair
    context = await _queue_context(session, agent)
    context["csrf_token"] = auth.csrf_token
    return templates.TemplateResponse(request, "console/queue.html", context)


@router.get("/queue", response_class=HTMLResponse)
async def queue_fragment(
    request: Request, agent: CurrentAgent, session: SessionDep
) -> HTMLResponse:
    context = await _queue_context(session, agent)
    return templates.TemplateResponse(request, "console/_queue.html", context)


@router.get("/stream", response_class=EventSourceResponse)
async def queue_stream(agent: CurrentAgent) -> EventSourceResponse:
    """Tell the console when the queue may have changed; it then re-reads the queue."""
    return EventSourceResponse(queue_events(), ping=15)


async def _conversation_context(
    session: SessionDep, agent: CurrentAgent, conversation_id: str
) -> dict[str, object]:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    handoff = await routing_service.latest_handoff(session, conversation)
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    owner = None
    if handoff is not None and handoff.claimed_by is not None:
        owner = (await routing_service.agent_names(session, [handoff])).get(handoff.claimed_by)
    return {
        "conversation": conversation,
        "handoff": handoff,
        "customer": customer,
        "owner": owner,
        "agent": agent,
        "now": utc_now(),
    }


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_page(
    conversation_id: str, request: Request, pair: AgentSession, session: SessionDep
) -> HTMLResponse:
    agent, auth = pair
    context = await _conversation_context(session, agent, conversation_id)
    context["csrf_token"] = auth.csrf_token
    return templates.TemplateResponse(request, "console/conversation.html", context)


@router.post("/conversations/{conversation_id}/claim", response_class=HTMLResponse)
async def claim(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
) -> HTMLResponse:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await routing_service.claim(session, agent=agent, conversation=conversation, policy=policy)
    context = await _conversation_context(session, agent, conversation_id)
    return templates.TemplateResponse(request, "console/_actions.html", context)


@router.post("/conversations/{conversation_id}/reply", response_class=HTMLResponse)
async def reply(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
    text: Annotated[MessageText, Form()],
    client_msg_id: Annotated[str, Form(max_length=100, pattern=r"^[A-Za-z0-9._:\-]+$")],
) -> HTMLResponse:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await routing_service.reply(
        session,
        agent=agent,
        conversation=conversation,
        text=text,
        client_msg_id=client_msg_id,
        policy=policy,
    )
    context = await _conversation_context(session, agent, conversation_id)
    return templates.TemplateResponse(request, "console/_actions.html", context)


@router.post("/conversations/{conversation_id}/resolve", response_class=HTMLResponse)
async def resolve(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
) -> HTMLResponse:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await routing_service.resolve(session, agent=agent, conversation=conversation, policy=policy)
    context = await _conversation_context(session, agent, conversation_id)
    return templates.TemplateResponse(request, "console/_actions.html", context)
