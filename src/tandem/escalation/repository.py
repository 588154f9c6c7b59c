"""Queries for policy versions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.escalation.models import PolicyVersion


async def active_version(session: AsyncSession) -> PolicyVersion | None:
    query = select(PolicyVersion).where(PolicyVersion.active.is_(True)).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def get_version(session: AsyncSession, version: int) -> PolicyVersion | None:
    query = select(PolicyVersion).where(PolicyVersion.version == version)
    return (await session.execute(query)).scalar_one_or_none()


async def latest_version_number(session: AsyncSession) -> int:
    return int(
        (
            await session.execute(select(func.coalesce(func.max(PolicyVersion.version), 0)))
        ).scalar_one()
    )


async def deactivate_all(session: AsyncSession) -> None:
    await session.execute(
        update(PolicyVersion)
        .where(PolicyVersion.active.is_(True))
        .values(active=False)
        .execution_options(synchronize_session=False)
    )


async def list_versions(session: AsyncSession, *, limit: int) -> Sequence[PolicyVersion]:
    query = select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(limit)
    return (await session.execute(query)).scalars().all()
