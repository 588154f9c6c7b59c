"""Search over the inbox for the console: the conversations and customers an agent may see,
with what a result shows (queue, labels, the message that matched, marked).

A page costs a fixed number of queries, whatever the number of results or messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import search
from tandem.conversations.models import Conversation, Customer
from tandem.conversations.search_text import Snippet, snippet, words_of
from tandem.routing import labels, repository
from tandem.routing.access import (
    access_conversations_as_agent,
    access_customer_as_agent,
    access_customers_as_agent,
)

PAGE = 25
CUSTOMERS_SHOWN = 10


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
