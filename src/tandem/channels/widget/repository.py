"""Queries for the sites allowed to embed the widget."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.channels.widget.models import WidgetOrigin


async def list_origins(session: AsyncSession) -> list[str]:
    result = await session.execute(select(WidgetOrigin.origin).order_by(WidgetOrigin.origin))
    return list(result.scalars())


async def get_origin(session: AsyncSession, origin: str) -> WidgetOrigin | None:
    return await session.get(WidgetOrigin, origin)
