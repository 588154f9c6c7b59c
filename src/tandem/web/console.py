"""The agent console: log in, watch the queue live, open, claim, reply, resolve."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse

from tandem.auth import service as auth_service
from tandem.auth import two_factor
from tandem.auth.deps import SESSION_COOKIE, AgentSession, CurrentAgent
from tandem.auth.models import Presence
from tandem.auth.origin import refuse_cross_site
from tandem.auth.routes import set_session_cookie
from tandem.auth.throttle import check_login
from tandem.bot import service as bot_service
from tandem.bot import takeover
from tandem.channels.streams import queue_events
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author
from tandem.conversations.schemas import MessageText
from tandem.copilot import service as copilot_service
from tandem.core.deps import MAX_ROW_ID, SessionDep, SettingsDep
from tandem.core.errors import AuthenticationError, NotFoundError
from tandem.core.time import utc_now
from tandem.escalation.config import Policy
from tandem.escalation.deps import PolicyDep
from tandem.learning import service as learning_service
from tandem.routing import assignment, inbox, notes, wellbeing
from tandem.routing import service as routing_service
from tandem.routing.access import access_conversation_as_agent
from tandem.routing.inbox import InboxFilters, StatusFilter, View
from tandem.routing.wellbeing import BreakAdvice
from tandem.web.console_flags import flags_context
from tandem.web.console_inbox import (
    PRIORITY_NAMES,
    InboxFiltersDep,
    inbox_pane,
    pane_context,
    reply_clocks,
)
from tandem.web.console_notes import labels_context
from tandem.web.login_flow import landing, login_form, safe_next
from tandem.web.templating import templates
from tandem.web.translations import N_, Text

router = APIRouter(prefix="/console", include_in_schema=False)
WITH_BOT_SHOWN = 10  # the bot's conversations with the latest activity, to take over
WHY_MIN_SCORE, WHY_SCORES_SHOWN = 0.05, 8
_QUEUE_LISTS = (
    (View.UNASSIGNED, StatusFilter.WAITING, inbox.LISTED),
    (View.MINE, StatusFilter.ASSIGNED, inbox.LISTED),
    (View.ALL, StatusFilter.BOT, WITH_BOT_SHOWN),
)


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request,
    settings: SettingsDep,
    next_: Annotated[str | None, Query(alias="next")] = None,
    reset: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    return login_form(request, settings, next_=next_, reset=reset)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next_: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    refuse_cross_site(request)
    check_login(request, email=email, settings=settings)
    try:
        result = await auth_service.log_in(
            session,
            email=email,
            password=password,
            max_age_seconds=settings.session_max_age_seconds,
            two_factor_roles=two_factor.required_roles(settings.two_factor_roles),
        )
    except AuthenticationError as error:
        return login_form(
            request, settings, next_=next_, error=error.message, email=email, status_code=401
        )
    response = RedirectResponse(landing(result.stage, safe_next(next_)), status_code=303)
    set_session_cookie(response, result.token, settings)
    return response


@router.post("/logout")
async def logout(request: Request, pair: AgentSession, session: SessionDep) -> Response:
    await auth_service.log_out(session, user=pair[0], token=request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _break_reason(advice: BreakAdvice) -> Text | None:
    """Say why a break is suggested (wellbeing.break_advice's cause) in the reader's language."""
    if advice.cause == "load":
        return Text(N_("You've handled several intense conversations."))
    if advice.cause == "time":
        return Text(
            N_("You've been working for %(minutes)s minutes."), {"minutes": advice.minutes_working}
        )
    return None


async def _queue_context(
    session: SessionDep, auth: AgentSession, policy: Policy, filters: InboxFilters
) -> dict[str, object]:
    """What the queue shows: who waits, the agent's conversations and the bot's, each list
    narrowed by the inbox's filters but for status and view. The session's CSRF token goes
    into the plain forms (take over) that work before htmx has processed a fresh swap."""
    agent = auth[0]
    waiting, mine, with_bot = [
        await inbox.list_inbox(
            session, agent, replace(filters, view=view, status=status), limit=limit
        )
        for view, status, limit in _QUEUE_LISTS
    ]
    advice = await wellbeing.break_advice(session, agent, policy=policy)
    now = utc_now()
    handoffs = [item.handoff for item in (*waiting, *mine) if item.handoff is not None]
    return {
        "waiting": waiting,
        "mine": mine,
        "clocks": reply_clocks(handoffs, policy, now),
        "with_bot": with_bot,
        "filters": filters,
        "queue_query": urlencode(filters.params()),  # kept by the live refresh
        "now": now,
        "agent": agent,
        "advice": advice,
        "break_reason": _break_reason(advice),
        "priorities": PRIORITY_NAMES,
        "presences": [p.value for p in Presence],
        "mentions": await notes.unseen_mentions(session, agent),
        "csrf_token": auth[1].csrf_token,
    }


@router.get("", response_class=HTMLResponse)
async def queue_page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    policy: PolicyDep,
    filters: InboxFiltersDep,
) -> HTMLResponse:
    agent = pair[0]
    context = await _queue_context(session, pair, policy, filters)
    context.update(pane_context(await inbox_pane(session, agent, filters, policy)))
    return templates.TemplateResponse(request, "console/queue.html", context)


@router.get("/queue", response_class=HTMLResponse)
async def queue_fragment(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    policy: PolicyDep,
    filters: InboxFiltersDep,
) -> HTMLResponse:
    context = await _queue_context(session, pair, policy, filters)
    return templates.TemplateResponse(request, "console/_queue.html", context)


@router.post("/presence", response_class=HTMLResponse)
async def presence(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    policy: PolicyDep,
    value: Annotated[Presence, Form()],
    filters: InboxFiltersDep,
) -> HTMLResponse:
    await auth_service.set_presence(session, pair[0], value)
    await assignment.assign_waiting(session, policy=policy)
    context = await _queue_context(session, pair, policy, filters)
    return templates.TemplateResponse(request, "console/_queue.html", context)


@router.post("/break", response_class=HTMLResponse)
async def take_break(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    policy: PolicyDep,
    filters: InboxFiltersDep,
) -> HTMLResponse:
    await auth_service.take_break(session, pair[0])
    context = await _queue_context(session, pair, policy, filters)
    return templates.TemplateResponse(request, "console/_queue.html", context)


@router.get("/stream", response_class=EventSourceResponse)
async def queue_stream(agent: CurrentAgent) -> EventSourceResponse:
    """Tell the console when the queue may have changed; it then re-reads the queue."""
    return EventSourceResponse(queue_events(), ping=15)


async def _conversation_context(
    session: SessionDep, agent: CurrentAgent, conversation_id: str, policy: Policy
) -> dict[str, object]:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    handoff = await routing_service.latest_handoff(session, conversation)
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    owner = None
    if handoff is not None and handoff.claimed_by is not None:
        owner = (await routing_service.agent_names(session, [handoff])).get(handoff.claimed_by)
    staff = [u for u in await auth_service.list_staff(session) if u.id != agent.id]
    now = utc_now()
    return {
        "conversation": conversation,
        "handoff": handoff,
        "clock": assignment.reply_clock(handoff, policy=policy, now=now) if handoff else None,
        "customer": customer,
        "owner": owner,
        "agent": agent,
        "now": now,
        "staff": staff,
        "queues": sorted(policy.queues),
        "supervisor": routing_service.may_supervise(agent),
        "warnings": routing_service.warnings_given(handoff) if handoff else 0,
        "warnings_needed": policy.wellbeing.abuse_warnings_before_end,
        "notes": await notes.notes_of(session, conversation.id),
    }


async def _actions(
    request: Request,
    session: SessionDep,
    agent: CurrentAgent,
    conversation_id: str,
    policy: Policy,
) -> HTMLResponse:
    context = await _conversation_context(session, agent, conversation_id, policy)
    return templates.TemplateResponse(request, "console/_actions.html", context)


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_page(
    conversation_id: str,
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    policy: PolicyDep,
    filters: InboxFiltersDep,
) -> HTMLResponse:
    """The conversation between the inbox (with the filters given) and the side panel."""
    agent, auth = pair
    context = await _conversation_context(session, agent, conversation_id, policy)
    pane = await inbox_pane(session, agent, filters, policy, current=conversation_id)
    context.update(pane_context(pane))
    context["csrf_token"] = auth.csrf_token
    context.update(await labels_context(session, conversation_id))
    context.update(await flags_context(session, conversation_id))
    # A page view only reads; the page itself then says the mentions were seen (a POST).
    context["unseen_mentions"] = await notes.has_unseen(session, agent, conversation_id)
    return templates.TemplateResponse(request, "console/conversation.html", context)


@router.get("/conversations/{conversation_id}/actions", response_class=HTMLResponse)
async def actions_fragment(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
) -> HTMLResponse:
    return await _actions(request, session, agent, conversation_id, policy)


@router.get("/conversations/{conversation_id}/suggestions", response_class=HTMLResponse)
async def suggestions_fragment(
    conversation_id: str, request: Request, agent: CurrentAgent, session: SessionDep
) -> HTMLResponse:
    """Articles, replies from similar resolved cases and saved replies for the latest message."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    suggestions = await copilot_service.suggestions_for(
        session, conversation, agent=agent, customer=customer
    )
    return templates.TemplateResponse(
        request,
        "console/_suggestions.html",
        {"suggestions": suggestions, "supervisor": routing_service.may_supervise(agent)},
    )


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
    return await _actions(request, session, agent, conversation_id, policy)


@router.get("/conversations/{conversation_id}/why/{seq}", response_class=HTMLResponse)
async def why(
    conversation_id: str,
    seq: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
) -> HTMLResponse:
    """Why the bot said what it said: how it read the message before, and what it found."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    said = await conversation_service.message_at(session, conversation, seq)
    if said is None or said.author is not Author.BOT:
        raise NotFoundError(f"No bot message {seq} in this conversation.")
    asked = await conversation_service.previous_customer_message(session, conversation, said)
    reading = (asked.data.get("reading") or {}) if asked else {}
    scores = sorted(
        ((name, float(score)) for name, score in (reading.get("scores") or {}).items()),
        key=lambda pair: -pair[1],
    )
    return templates.TemplateResponse(
        request,
        "console/_why.html",
        {
            "said": said,
            "asked": asked,
            "language": reading.get("language"),
            "scores": [(n, v) for n, v in scores if v >= WHY_MIN_SCORE][:WHY_SCORES_SHOWN],
            "signals": (asked.data.get("signals") or {}) if asked else {},
        },
    )


@router.post("/conversations/{conversation_id}/take-over")
async def take_over(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Take a conversation over from the bot, then open it."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await takeover.take_over(session, conversation, agent, config=bot_service.config_from(settings))
    target = f"/console/conversations/{conversation.id}"
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


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
    return await _actions(request, session, agent, conversation_id, policy)


@router.post("/conversations/{conversation_id}/resolve", response_class=HTMLResponse)
async def resolve(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
    settings: SettingsDep,
) -> HTMLResponse:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await learning_service.do_resolve(
        session,
        agent=agent,
        conversation=conversation,
        policy=policy,
        answer_threshold=settings.answer_threshold,
    )
    return await _actions(request, session, agent, conversation_id, policy)


@router.post("/conversations/{conversation_id}/warn", response_class=HTMLResponse)
async def warn(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
) -> HTMLResponse:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await routing_service.warn_abusive(
        session, agent=agent, conversation=conversation, policy=policy
    )
    return await _actions(request, session, agent, conversation_id, policy)


@router.post("/conversations/{conversation_id}/end", response_class=HTMLResponse)
async def end(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
    reason: Annotated[str, Form(max_length=200)],
) -> HTMLResponse:
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await routing_service.end_abusive(
        session, agent=agent, conversation=conversation, policy=policy, reason=reason
    )
    return await _actions(request, session, agent, conversation_id, policy)


@router.post("/conversations/{conversation_id}/transfer", response_class=HTMLResponse)
async def transfer(
    conversation_id: str,
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
    target: Annotated[str, Form(max_length=80)],
    note: Annotated[str, Form(max_length=1000)] = "",
) -> HTMLResponse:
    """Transfer to ``agent:<id>`` or ``queue:<name>`` with an internal note."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    kind, _, value = target.partition(":")
    to_agent = None
    if kind == "agent" and value.isdigit():
        to_agent = (await auth_service.users_by_id(session, [int(value)])).get(int(value))
        if to_agent is None:
            raise NotFoundError("There is no such agent.")
    await routing_service.transfer(
        session,
        by=agent,
        conversation=conversation,
        policy=policy,
        note=note,
        to_agent=to_agent,
        to_queue=value if kind == "queue" else None,
    )
    return await _actions(request, session, agent, conversation_id, policy)
