"""The chokepoint through which an agent reaches a conversation."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation
from tandem.core.errors import PermissionDeniedError


async def access_conversation_as_agent(
    session: AsyncSession, agent: User, conversation_id: str
) -> Conversation:
    """Return a conversation for an active staff member; every team member sees every queue."""
    if not agent.is_active:
        raise PermissionDeniedError("Your account is disabled; ask an administrator.")
    return await conversation_service.get_conversation(session, conversation_id)
