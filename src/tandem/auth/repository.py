"""Queries for users and login sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import ApiToken, AuthSession, Presence, Role, User


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    query = select(User).where(func.lower(User.email) == email.lower())
    return (await session.execute(query)).scalar_one_or_none()


async def get_auth_session(session: AsyncSession, token_hash: str) -> AuthSession | None:
    return await session.get(AuthSession, token_hash)


async def delete_auth_session(session: AsyncSession, token_hash: str) -> None:
    await session.execute(delete(AuthSession).where(AuthSession.token_hash == token_hash))


async def delete_sessions_of(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


async def delete_expired_sessions(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(AuthSession).where(AuthSession.expires_at < now))


async def count_online(session: AsyncSession) -> int:
    query = (
        select(func.count())
        .select_from(User)
        .where(
            User.presence == Presence.ONLINE,
            User.is_active.is_(True),
            User.role.in_([Role.AGENT, Role.SUPERVISOR]),
        )
    )
    return int((await session.execute(query)).scalar_one())


async def get_users(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    query = select(User).where(User.id.in_(user_ids))
    return {user.id: user for user in (await session.execute(query)).scalars()}


async def list_users(session: AsyncSession) -> Sequence[User]:
    return (await session.execute(select(User).order_by(User.id))).scalars().all()


async def list_active_admins(session: AsyncSession) -> Sequence[User]:
    query = select(User).where(User.is_active.is_(True), User.role == Role.ADMIN).order_by(User.id)
    return (await session.execute(query)).scalars().all()


async def list_staff(session: AsyncSession) -> Sequence[User]:
    """Return active agents and supervisors: the people who take conversations."""
    query = (
        select(User)
        .where(User.is_active.is_(True), User.role.in_([Role.AGENT, Role.SUPERVISOR]))
        .order_by(User.id)
    )
    return (await session.execute(query)).scalars().all()


async def find_api_token(session: AsyncSession, token_hash: str) -> ApiToken | None:
    query = select(ApiToken).where(ApiToken.token_hash == token_hash)
    return (await session.execute(query)).scalar_one_or_none()


async def get_api_token(session: AsyncSession, token_id: int) -> ApiToken | None:
    return await session.get(ApiToken, token_id)


async def list_api_tokens(session: AsyncSession) -> Sequence[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.created_at, ApiToken.id)
    return (await session.execute(query)).scalars().all()
