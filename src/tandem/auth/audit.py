"""The audit log: who did what, when, to what. Written in the same transaction as the action,
so an action that is rolled back leaves no entry and one that happened always has one.

Failed logins are not stored here (their transaction is rolled back); they are logged
(``tandem.auth.audit`` logger, with the address) and limited by the login throttle.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import AuditEntry, User
from tandem.core.time import utc_now

logger = logging.getLogger(__name__)


async def record(
    session: AsyncSession,
    action: str,
    *,
    actor: User | int | None = None,
    target: str = "",
    **detail: Any,  # Any: JSON-able facts about the action
) -> None:
    """Add an entry for ``action`` (e.g. ``token.created``) by ``actor`` (a user or their id;
    None: the command line or the system)."""
    actor_id = actor.id if isinstance(actor, User) else actor
    session.add(
        AuditEntry(
            at=utc_now(),
            actor_user_id=actor_id,
            action=action,
            target=target[:320],
            detail=detail,
        )
    )
    await session.flush()


async def entries(
    session: AsyncSession,
    *,
    since: datetime | None = None,
    action: str | None = None,
    limit: int = 200,
) -> Sequence[AuditEntry]:
    """The latest entries first, optionally since a time and for actions starting with a prefix."""
    found = await search(session, action=action or "", start=since, limit=limit)
    return [entry for entry, _email in found]


async def search(
    session: AsyncSession,
    *,
    action: str = "",
    actor_email: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[tuple[AuditEntry, str | None]]:
    """Entries newest first, each with its actor's e-mail (None: the command line or the
    system): actions starting with ``action``, by the user with ``actor_email`` (any case),
    at or after ``start`` and before ``end``; ``limit`` of them after the first ``offset``."""
    query = (
        select(AuditEntry, User.email)
        .outerjoin(User, User.id == AuditEntry.actor_user_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor_email:
        query = query.where(func.lower(User.email) == actor_email.lower())
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at < end)
    found = (await session.execute(query.offset(offset).limit(limit))).all()
    return [(entry, email) for entry, email in found]
