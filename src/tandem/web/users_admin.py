"""/admin/users: staff accounts created, their role, skills, capacity and language edited.

What the page does, the CLI (`tandem user ...`) and the users API do too, through the same
service functions, so every change is audited the same way.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.auth import service as auth_service
from tandem.auth import two_factor
from tandem.auth.access import ADMINS, require_role
from tandem.auth.deps import AgentSession
from tandem.auth.models import Role, User
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.core.errors import TandemError
from tandem.routing import service as routing_service
from tandem.web import translations
from tandem.web.admin_layout import admin_page
from tandem.web.translations import N_, Text

router = APIRouter(prefix="/admin/users", include_in_schema=False)
UserId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


async def _page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    *,
    notice: str | Text | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "users": await auth_service.list_users(session),
        "roles": list(Role),
        "languages": translations.language_names(),
        "two_factor_on": two_factor.is_enabled,
        "notice": notice,
        "error": error,
    }
    return admin_page(request, pair, "users", context, status_code=status_code)


def _admin(pair: AgentSession) -> User:
    require_role(pair[0], ADMINS, doing="manage staff accounts")
    return pair[0]


def _skills(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


@router.get("", response_class=HTMLResponse)
async def users_page(request: Request, pair: AgentSession, session: SessionDep) -> HTMLResponse:
    _admin(pair)
    return await _page(request, pair, session)


@router.post("", response_class=HTMLResponse)
async def create_user(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    email: Annotated[str, Form(min_length=3, max_length=320)],
    name: Annotated[str, Form(min_length=1, max_length=200)],
    password: Annotated[str, Form(min_length=1, max_length=1000)],
    role: Annotated[Role, Form()] = Role.AGENT,
    skills: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Create a user with a first password (checked for strength) to hand over in person."""
    _admin(pair)
    try:
        async with session.begin_nested():
            user = await auth_service.create_user(
                session,
                email=email.strip(),
                name=name.strip(),
                password=password,
                role=role,
                skills=_skills(skills),
            )
    except TandemError as error:
        return await _page(request, pair, session, error=error.message, status_code=422)
    return await _page(
        request,
        pair,
        session,
        notice=Text(N_("Created %(email)s (%(role)s)."), {"email": user.email, "role": role.value}),
    )


@router.post("/{user_id}", response_class=HTMLResponse)
async def update_user(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    user_id: UserId,
    role: Annotated[Role, Form()],
    skills: Annotated[str, Form(max_length=2000)] = "",
    capacity: Annotated[int, Form(ge=1, le=50)] = 3,
    language: Annotated[str | None, Form(max_length=35)] = None,
) -> Response:
    """Change a user's role, skills, how many chats they take at once and their pages' language.

    Without ``language`` the user's stays; ``browser`` follows their browser.
    """
    admin = _admin(pair)
    user = await auth_service.get_user(session, user_id)
    if user.id == admin.id and role is not admin.role:
        return await _page(
            request,
            pair,
            session,
            error=N_("You cannot change your own role; another admin can."),
            status_code=422,
        )
    try:
        chosen = translations.chosen(language) if language is not None else None
    except ValueError:
        return await _page(
            request,
            pair,
            session,
            error=N_("Choose one of the languages offered."),
            status_code=422,
        )
    await auth_service.do_update_user(
        session, user, role=role, skills=_skills(skills), capacity=capacity
    )
    if language is not None:
        await auth_service.do_set_language(session, user, language=chosen)
    return await _page(
        request, pair, session, notice=Text(N_("Saved %(email)s."), {"email": user.email})
    )


@router.post("/{user_id}/deactivate", response_class=HTMLResponse)
async def deactivate(
    request: Request, pair: AgentSession, session: SessionDep, user_id: UserId
) -> Response:
    """Log the user out everywhere and put the chats they held back in line, first."""
    admin = _admin(pair)
    user = await auth_service.get_user(session, user_id)
    if user.id == admin.id:
        return await _page(
            request,
            pair,
            session,
            error=N_("You cannot deactivate yourself; another admin can."),
            status_code=422,
        )
    _user, released = await routing_service.deactivate_agent(session, user.email)
    return await _page(
        request,
        pair,
        session,
        notice=Text(
            N_("Deactivated %(email)s; %(count)s conversation(s) they held are back in the queue."),
            {"email": user.email, "count": len(released)},
        ),
    )


@router.post("/{user_id}/reactivate")
async def reactivate(pair: AgentSession, session: SessionDep, user_id: UserId) -> Response:
    _admin(pair)
    user = await auth_service.get_user(session, user_id)
    await auth_service.reactivate_user(session, email=user.email)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/{user_id}/reset-two-factor", response_class=HTMLResponse)
async def reset_two_factor(
    request: Request, pair: AgentSession, session: SessionDep, user_id: UserId
) -> Response:
    """Turn off a user's two-factor login (a lost phone); their sessions end."""
    _admin(pair)
    user = await auth_service.get_user(session, user_id)
    await auth_service.reset_two_factor(session, email=user.email)
    return await _page(
        request,
        pair,
        session,
        notice=Text(
            N_("Two-factor login is off for %(email)s; they can set it up again."),
            {"email": user.email},
        ),
    )
