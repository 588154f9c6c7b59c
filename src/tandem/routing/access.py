"""The chokepoints through which an agent reaches conversations and customers.

Every active team member sees every queue, so an agent may open any conversation. Search
finds none that was erased: its words are gone, and what is left would match only the
erasure notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import search
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, Customer
from tandem.core.errors import PermissionDeniedError
from tandem.routing import repository
from tandem.routing.models import Handoff


def _check_active(agent: User) -> None:
    if not agent.is_active:
        raise PermissionDeniedError("Your account is disabled; ask an administrator.")


async def access_conversation_as_agent(
    session: AsyncSession, agent: User, conversation_id: str
) -> Conversation:
    """Return a conversation for an active staff member; every team member sees every queue."""
    _check_active(agent)
    return await conversation_service.get_conversation(session, conversation_id)


async def access_customer_as_agent(
    session: AsyncSession, agent: User, customer_id: int
) -> Customer:
    """Return a customer for an active staff member; NotFoundError when there is none."""
    _check_active(agent)
    return await conversation_service.get_customer(session, customer_id)


async def access_conversations_as_agent(
    session: AsyncSession, agent: User, filters: search.Filters, *, cursor: str | None, limit: int
) -> search.Page:
    """One page of the conversations ``filters`` find among those the agent may see: all but
    the erased ones."""
    _check_active(agent)
    visible = replace(filters, live_only=True)
    return await search.search(session, visible, cursor=cursor, limit=limit)


async def access_inbox_as_agent(
    session: AsyncSession,
    agent: User,
    conversations: search.Filters,
    handoffs: repository.HandoffFilters,
    *,
    queue_order: bool,
    limit: int,
) -> Sequence[tuple[Conversation, Customer, Handoff | None]]:
    """The conversations both filters find among those the agent may see (all but the erased
    ones), each with its customer and latest handoff."""
    _check_active(agent)
    visible = replace(conversations, live_only=True)
    return await repository.list_inbox(
        session, visible, handoffs, queue_order=queue_order, limit=limit
    )


async def access_customers_as_agent(
    session: AsyncSession, agent: User, words: Sequence[str], *, limit: int
) -> list[search.CustomerMatch]:
    """Customers whose name or e-mail holds each of ``words``, counting only the conversations
    the agent may see."""
    _check_active(agent)
    return await search.find_customers(session, words, limit=limit)
