"""The widget's settings: the snippet for the company's site and the allowed sites."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.auth import audit
from tandem.auth.models import User
from tandem.channels.widget import repository
from tandem.channels.widget.models import WidgetOrigin
from tandem.channels.widget.origins import AllowedOrigins, normalise_origin
from tandem.config import Settings
from tandem.core.errors import ConflictError, NotFoundError


def snippet(settings: Settings) -> str:
    """The one tag a company puts on its pages."""
    return (
        f'<script src="{settings.base_url()}/widget.js" data-key="{settings.widget_key}" '
        "async></script>"
    )


async def stored_origins(session: AsyncSession) -> list[str]:
    """The sites admins allowed (besides TANDEM_WIDGET_ORIGINS)."""
    return await repository.list_origins(session)


async def allowed_origins(
    allowed: AllowedOrigins,
    factory: async_sessionmaker[AsyncSession] | None = None,
    *,
    session: AsyncSession | None = None,
) -> frozenset[str]:
    """Every origin that may embed the widget now (cached for a few seconds per process).

    Read through the request's ``session`` when there is one, else a session of ``factory``.
    """

    async def read() -> list[str]:
        if session is not None:
            return await repository.list_origins(session)
        assert factory is not None
        async with factory() as own:
            return await repository.list_origins(own)

    return await allowed.get(read)


async def do_add_origin(session: AsyncSession, origin: str, *, user: User) -> str:
    """Allow a site to embed the widget; 409 if it already may."""
    origin = normalise_origin(origin)
    try:
        async with session.begin_nested():
            session.add(WidgetOrigin(origin=origin, added_by=user.id))
            await session.flush()
    except IntegrityError as error:
        raise ConflictError(f"{origin} may already embed the widget.") from error
    await audit.record(session, "widget.origin_added", actor=user, target=origin)
    return origin


async def do_remove_origin(session: AsyncSession, origin: str, *, user: User) -> None:
    """Stop a site embedding the widget (origins from the environment stay)."""
    row = await repository.get_origin(session, origin)
    if row is None:
        raise NotFoundError(f"{origin} is not in the list (origins set in the environment stay).")
    await session.delete(row)
    await session.flush()
    await audit.record(session, "widget.origin_removed", actor=user, target=origin)
