"""The console's inbox: the conversation lists an agent works from (theirs, the unassigned,
the team's, all) with their filters and unread counts; and search over the conversations and
customers an agent may see, with what a result shows (queue, labels, the message that matched,
marked).

A list or a page costs a fixed number of queries, whatever the number of results or messages.
A conversation an agent holds is unread for them while it has a customer message after the
sequence number they last had on screen (every one, before they first open it).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import search
from tandem.conversations.models import Conversation, ConversationStatus, Customer
from tandem.conversations.search_text import Snippet, snippet, words_of
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.escalation.reasons import Priority
from tandem.routing import labels, repository
from tandem.routing.access import (
    access_conversations_as_agent,
    access_customer_as_agent,
    access_customers_as_agent,
    access_inbox_as_agent,
)
from tandem.routing.models import Handoff

PAGE = 25
CUSTOMERS_SHOWN = 10
LISTED = 200  # conversations a list shows; more than a shift holds
CHANNELS = {"web": "Chat", "email": "E-mail"}  # the channels conversations come by, named


class View(StrEnum):
    MINE = "mine"  # the agent holds it
    UNASSIGNED = "unassigned"  # nobody holds it
    TEAM = "team"  # a colleague holds it
    ALL = "all"


class StatusFilter(StrEnum):
    OPEN = "open"  # waiting for a person or with one
    WAITING = "waiting"
    ASSIGNED = "assigned"
    BOT = "bot"
    RESOLVED = "resolved"


_STATUSES = {
    StatusFilter.OPEN: (ConversationStatus.WAITING, ConversationStatus.ASSIGNED),
    StatusFilter.WAITING: (ConversationStatus.WAITING,),
    StatusFilter.ASSIGNED: (ConversationStatus.ASSIGNED,),
    StatusFilter.BOT: (ConversationStatus.BOT,),
    StatusFilter.RESOLVED: (ConversationStatus.RESOLVED,),
}
PRIORITIES = {priority.name.lower(): priority for priority in Priority}


@dataclass(frozen=True, slots=True)
class InboxFilters:
    """Which conversations a list shows. ``label`` is normalised; ``queue`` is one of the
    policy's queues and ``channel`` one of ``CHANNELS``."""

    view: View = View.MINE
    status: StatusFilter = StatusFilter.OPEN
    queue: str | None = None
    label: str | None = None
    priority: Priority | None = None
    channel: str | None = None

    def params(self, **changes: str) -> dict[str, str]:
        """The query parameters that select these filters (defaults left out), with
        ``changes``: what a link to the same list, or another view of it, carries."""
        values = {
            "view": self.view.value if self.view is not View.MINE else None,
            "status": self.status.value if self.status is not StatusFilter.OPEN else None,
            "queue": self.queue,
            "label": self.label,
            "priority": self.priority.name.lower() if self.priority is not None else None,
            "channel": self.channel,
        }
        values.update(changes)
        return {name: value for name, value in values.items() if value}

    @property
    def narrowed(self) -> bool:
        """Whether anything but the view narrows the list."""
        return self.params(view="") != {}


class FilterError(InvalidInputError):
    """A filter asked for a value it does not take: which one, the value, the values it takes
    (for a page to say in the reader's language)."""

    def __init__(self, name: str, value: str, allowed: Collection[str]) -> None:
        self.name, self.value, self.allowed = name, value, sorted(allowed)
        super().__init__(
            f"{name} {value!r} is not one of {', '.join(self.allowed)}; choose one of them "
            "or leave it out."
        )


def _choice(
    name: str, value: str | None, allowed: Collection[str], *, fold: bool = True
) -> str | None:
    value = (value or "").strip()
    value = value.lower() if fold else value
    if not value:
        return None
    if value not in allowed:
        raise FilterError(name, value, allowed)
    return value


def check_filters(
    *,
    queues: Collection[str],
    view: str | None = None,
    status: str | None = None,
    queue: str | None = None,
    label: str | None = None,
    priority: str | None = None,
    channel: str | None = None,
) -> InboxFilters:
    """The filters the query parameters ask for (empty ones: the default); FilterError naming
    the parameter and the values it takes when one is not valid (InvalidInputError: a label)."""
    chosen_view = _choice("view", view, [v.value for v in View])
    chosen_status = _choice("status", status, [s.value for s in StatusFilter])
    chosen_priority = _choice("priority", priority, PRIORITIES)
    return InboxFilters(
        view=View(chosen_view) if chosen_view else View.MINE,
        status=StatusFilter(chosen_status) if chosen_status else StatusFilter.OPEN,
        queue=_choice("queue", queue, queues, fold=False),
        label=labels.normalise(label) if label and label.strip() else None,
        priority=PRIORITIES[chosen_priority] if chosen_priority else None,
        channel=_choice("channel", channel, CHANNELS),
    )


@dataclass(frozen=True, slots=True)
class InboxItem:
    conversation: Conversation
    customer: Customer
    handoff: Handoff | None  # its latest; None if it was never handed off
    labels: list[str]


def _handoff_filters(agent: User, filters: InboxFilters) -> repository.HandoffFilters:
    return repository.HandoffFilters(
        claimed_by=agent.id if filters.view is View.MINE else None,
        claimed_by_other_than=agent.id if filters.view is View.TEAM else None,
        unclaimed=filters.view is View.UNASSIGNED,
        queue=filters.queue,
        priority=int(filters.priority) if filters.priority is not None else None,
        label=filters.label,
    )


async def list_inbox(
    session: AsyncSession, agent: User, filters: InboxFilters, *, limit: int = LISTED
) -> list[InboxItem]:
    """The conversations of the view that pass the filters: unassigned ones in queue order
    (priority, then longest waiting), the others newest activity first."""
    conversations = search.Filters(statuses=_STATUSES[filters.status], channel=filters.channel)
    rows = await access_inbox_as_agent(
        session,
        agent,
        conversations,
        _handoff_filters(agent, filters),
        queue_order=filters.view is View.UNASSIGNED,
        limit=limit,
    )
    carried = await labels.labels_of_many(session, [conversation.id for conversation, *_ in rows])
    return [
        InboxItem(conversation, customer, handoff, carried.get(conversation.id, []))
        for conversation, customer, handoff in rows
    ]


async def unread_counts(session: AsyncSession, agent: User) -> Mapping[str, int]:
    """How many customer messages the agent has not read, for each conversation they hold
    that has some."""
    return await repository.unread_counts(session, agent.id)


async def do_mark_read(
    session: AsyncSession, agent: User, conversation: Conversation, *, seq: int
) -> None:
    """The agent has had the conversation on screen up to ``seq`` (at most its latest)."""
    await repository.mark_read(
        session,
        user_id=agent.id,
        conversation_id=conversation.id,
        seq=min(seq, conversation.last_seq),
        at=utc_now(),
    )


@dataclass(frozen=True, slots=True)
class Hit:
    conversation: Conversation
    customer: Customer
    queue: str | None  # of its latest handoff; None if it never had one
    labels: list[str]
    said: search.Said | None  # the message that matched (with no words: the latest), if any
    snippet: Snippet | None


@dataclass(frozen=True, slots=True)
class Results:
    words: tuple[str, ...]
    customer: Customer | None  # only this customer's conversations
    hits: list[Hit]
    next_cursor: str | None
    customers: list[search.CustomerMatch]  # on the first page only
    more_customers: bool

    @property
    def asked(self) -> bool:
        return bool(self.words) or self.customer is not None


async def search_inbox(
    session: AsyncSession,
    agent: User,
    *,
    query: str | None,
    customer_id: int | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
) -> Results:
    """One page of what ``query`` finds (of ``customer_id``'s conversations only, if given),
    newest activity first; the customers it finds come with the first page. Nothing is
    searched for an empty query. InvalidInputError says what to change in the query or that
    the cursor is not one this search gave out."""
    words = words_of(query)
    customer = None
    if customer_id is not None:
        customer = await access_customer_as_agent(session, agent, customer_id)
    if not words and customer is None:
        return Results(words, None, [], None, [], more_customers=False)
    filters = search.Filters(words=words, customer_id=customer_id)
    page = await access_conversations_as_agent(session, agent, filters, cursor=cursor, limit=limit)
    hits = await _hits(session, page.items, words)
    customers: list[search.CustomerMatch] = []
    if cursor is None and customer is None:
        customers = await access_customers_as_agent(
            session, agent, words, limit=CUSTOMERS_SHOWN + 1
        )
    return Results(
        words,
        customer,
        hits,
        page.next_cursor,
        customers[:CUSTOMERS_SHOWN],
        more_customers=len(customers) > CUSTOMERS_SHOWN,
    )


async def _hits(
    session: AsyncSession, items: Sequence[tuple[Conversation, Customer]], words: Sequence[str]
) -> list[Hit]:
    ids = [conversation.id for conversation, _ in items]
    said = await search.best_messages(session, ids, words)
    carried = await labels.labels_of_many(session, ids)
    queues = await repository.latest_queues(session, ids)
    return [
        Hit(
            conversation,
            customer,
            queues.get(conversation.id),
            carried.get(conversation.id, []),
            said.get(conversation.id),
            snippet(said[conversation.id].text, words) if conversation.id in said else None,
        )
        for conversation, customer in items
    ]
