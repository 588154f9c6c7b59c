"""The console's inbox pane: the conversation lists (mine, unassigned, the team's, all) with
their filters and unread counts, redrawn live beside the queue and every conversation; and the
read mark a conversation page sets while it is on screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from tandem.auth.deps import CurrentAgent
from tandem.auth.models import User
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.escalation.config import Policy
from tandem.escalation.deps import PolicyDep
from tandem.escalation.reasons import Priority
from tandem.routing import assignment, inbox, labels
from tandem.routing import service as routing_service
from tandem.routing.access import access_conversation_as_agent
from tandem.routing.inbox import FilterError, InboxFilters, InboxItem, StatusFilter, View
from tandem.routing.models import Handoff
from tandem.routing.sla import SlaClock
from tandem.web.templating import request_catalogue, templates
from tandem.web.translations import N_

router = APIRouter(prefix="/console", include_in_schema=False)
# A list's query parameters; inbox.check_filters says what is wrong with one (422).
Param = Annotated[str | None, Query(max_length=200)]
ConversationParam = Annotated[str | None, Query(max_length=36)]
# What the pages call the filters' values, in the reader's language (``| translate``).
VIEW_NAMES = {
    View.MINE: N_("Mine"),
    View.UNASSIGNED: N_("Unassigned"),
    View.TEAM: N_("Team"),
    View.ALL: N_("All"),
}
PRIORITY_NAMES = {
    Priority.NORMAL: N_("normal"),
    Priority.ELEVATED: N_("elevated"),
    Priority.HIGH: N_("high"),
    Priority.URGENT: N_("urgent"),
}
CHANNEL_NAMES = {"web": N_("Chat"), "email": N_("E-mail")}  # inbox.CHANNELS
FILTER_REFUSED = N_(
    "%(name)s %(value)s is not one of %(allowed)s; choose one of them or leave it out."
)


async def inbox_filters(
    request: Request,
    policy: PolicyDep,
    view: Param = None,
    status: Param = None,
    queue: Param = None,
    label: Param = None,
    priority: Param = None,
    channel: Param = None,
) -> InboxFilters:
    try:
        return inbox.check_filters(
            queues=policy.queues,
            view=view,
            status=status,
            queue=queue,
            label=label,
            priority=priority,
            channel=channel,
        )
    except FilterError as error:  # said on the page, in its reader's language
        catalogue = request_catalogue(request)
        values = {
            "name": error.name,
            "value": repr(error.value),
            "allowed": ", ".join(error.allowed),
        }
        raise InvalidInputError(catalogue.gettext(FILTER_REFUSED) % values) from error


InboxFiltersDep = Annotated[InboxFilters, Depends(inbox_filters)]


@dataclass(frozen=True, slots=True)
class InboxPane:
    """What the inbox pane shows: the list, and what its links and filters need."""

    filters: InboxFilters
    items: list[InboxItem]
    unread: dict[str, int]  # of every conversation the agent holds, listed or not
    owners: dict[int, str]  # who holds a listed conversation, by user id
    clocks: dict[int, SlaClock]  # the first-reply clock of a listed handoff, by handoff id
    current: str | None  # the conversation open beside the list
    queues: list[str]
    known_labels: list[labels.KnownLabel]
    now: datetime

    @property
    def base(self) -> str:
        """The page the pane is on: its filters and views link back to it."""
        return f"/console/conversations/{self.current}" if self.current else "/console"

    def link(self, base: str, **changes: str) -> str:
        """``base`` with these filters (and ``changes``) as its query string."""
        query = urlencode(self.filters.params(**changes))
        return f"{base}?{query}" if query else base

    @property
    def unread_total(self) -> int:
        return sum(self.unread.values())


async def inbox_pane(
    session: SessionDep,
    agent: User,
    filters: InboxFilters,
    policy: Policy,
    *,
    current: str | None = None,
) -> InboxPane:
    items = await inbox.list_inbox(session, agent, filters)
    handoffs = [item.handoff for item in items if item.handoff is not None]
    now = utc_now()
    return InboxPane(
        filters=filters,
        items=items,
        unread=dict(await inbox.unread_counts(session, agent)),
        owners=await routing_service.agent_names(session, handoffs),
        clocks=reply_clocks(handoffs, policy, now),
        current=current,
        queues=sorted(policy.queues),
        known_labels=await labels.known_labels(session),
        now=now,
    )


def reply_clocks(handoffs: Sequence[Handoff], policy: Policy, now: datetime) -> dict[int, SlaClock]:
    """The first-reply clock of each handoff that has one, by handoff id."""
    clocks = {h.id: assignment.reply_clock(h, policy=policy, now=now) for h in handoffs}
    return {id_: clock for id_, clock in clocks.items() if clock is not None}


def pane_context(pane: InboxPane) -> dict[str, object]:
    return {
        "inbox": pane,
        "views": VIEW_NAMES,
        "statuses": list(StatusFilter),
        "priorities": PRIORITY_NAMES,
        "channels": {
            value: CHANNEL_NAMES.get(value, name) for value, name in inbox.CHANNELS.items()
        },
    }


@router.get("/inbox", response_class=HTMLResponse)
async def inbox_fragment(
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
    filters: InboxFiltersDep,
    current: ConversationParam = None,
) -> HTMLResponse:
    """The views and the list, redrawn when the queue may have changed."""
    pane = await inbox_pane(session, agent, filters, policy, current=current)
    return templates.TemplateResponse(request, "console/_inbox_list.html", pane_context(pane))


@router.post("/conversations/{conversation_id}/read", status_code=204)
async def mark_read(
    conversation_id: str,
    agent: CurrentAgent,
    session: SessionDep,
    seq: Annotated[int, Form(ge=0, le=MAX_ROW_ID)],
) -> Response:
    """The agent has the conversation on screen up to ``seq``: what came before is read."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    await inbox.do_mark_read(session, agent, conversation, seq=seq)
    return Response(status_code=204)
