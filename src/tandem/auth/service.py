"""Users, passwords and login sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit, repository, two_factor
from tandem.auth.models import AuthSession, Presence, Role, SessionStage, User
from tandem.core.db import write_from_here
from tandem.core.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
)
from tandem.core.security import (
    hash_password,
    hash_token,
    new_token,
    password_needs_rehash,
    password_weakness,
    verify_password,
)
from tandem.core.time import utc_now

# Verifying against a real hash when the user is unknown keeps response times alike.
_DUMMY_HASH = hash_password("not-a-real-password")


# A password checked, the second factor still due: this long to type the code or set it up.
_PENDING_SECONDS = 10 * 60


@dataclass(frozen=True, slots=True)
class Login:
    user: User
    token: str  # goes in the cookie; only its hash is stored
    csrf_token: str
    stage: SessionStage = SessionStage.COMPLETE


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    password: str,
    role: Role = Role.AGENT,
    skills: Sequence[str] = (),
) -> User:
    """Create a user; refuse weak passwords and e-mails already taken."""
    weakness = password_weakness(password, user_inputs=(email, name))
    if weakness is not None:
        raise InvalidInputError(weakness)
    if await repository.find_user_by_email(session, email) is not None:
        raise ConflictError(f"A user with e-mail {email} already exists.")
    user = User(
        email=email.lower(),
        name=name,
        role=role,
        password_hash=await _hash(password),
        skills=_normalise_skills(skills),
    )
    session.add(user)
    await session.flush()
    await audit.record(session, "user.created", target=user.email, role=user.role.value)
    return user


def _normalise_skills(skills: Sequence[str]) -> list[str]:
    """Skills match case-insensitively: stored lower-case, once each, sorted."""
    return sorted({s.strip().lower() for s in skills if s.strip()})


async def _hash(password: str) -> str:
    # Argon2 takes tens of milliseconds of CPU by design: never on the event loop.
    return await asyncio.to_thread(hash_password, password)


async def _verify(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)


async def password_matches(user: User, password: str) -> bool:
    """Check the user's password (Argon2, off the event loop)."""
    return await _verify(user.password_hash, password)


async def find_user(session: AsyncSession, email: str) -> User | None:
    return await repository.find_user_by_email(session, email)


async def get_user_by_email(session: AsyncSession, email: str) -> User:
    """Return the user with this e-mail, or raise NotFoundError saying how to list them."""
    user = await repository.find_user_by_email(session, email)
    if user is None:
        raise NotFoundError(f"No user with e-mail {email}. The staff are listed at /supervisor.")
    return user


async def set_password(session: AsyncSession, *, email: str, password: str) -> User:
    """Give the user a new password and end every session they have open."""
    user = await get_user_by_email(session, email)
    weakness = password_weakness(password, user_inputs=(user.email, user.name))
    if weakness is not None:
        raise InvalidInputError(weakness)
    user.password_hash = await _hash(password)
    await repository.delete_sessions_of(session, user.id)
    await audit.record(session, "user.password_set", target=user.email)
    return user


async def deactivate_user(session: AsyncSession, *, email: str) -> User:
    """Stop the user logging in: sessions end now and they are offline for routing."""
    user = await get_user_by_email(session, email)
    user.is_active = False
    user.presence = Presence.OFFLINE
    await repository.delete_sessions_of(session, user.id)
    await audit.record(session, "user.deactivated", target=user.email)
    return user


async def reset_two_factor(session: AsyncSession, *, email: str) -> User:
    """Turn a user's two-factor login off (a lost phone); their sessions end.

    Where their role requires it, their next login asks them to set it up again.
    """
    user = await get_user_by_email(session, email)
    await two_factor.disable(session, user)
    await repository.delete_sessions_of(session, user.id)
    return user


async def reactivate_user(session: AsyncSession, *, email: str) -> User:
    """Let a deactivated user log in again (they start offline)."""
    user = await get_user_by_email(session, email)
    user.is_active = True
    await audit.record(session, "user.reactivated", target=user.email)
    return user


async def check_password(session: AsyncSession, *, email: str, password: str) -> User:
    """Return the active user with these credentials, or raise AuthenticationError."""
    user = await repository.find_user_by_email(session, email)
    if user is None or not user.is_active:
        await _verify(_DUMMY_HASH, password)
        audit.logger.warning("failed login for %r (no such active user)", email)
        raise AuthenticationError("Wrong e-mail or password.")
    if not await _verify(user.password_hash, password):
        audit.logger.warning("failed login for %r (wrong password)", email)
        raise AuthenticationError("Wrong e-mail or password.")
    if password_needs_rehash(user.password_hash):
        user.password_hash = await _hash(password)
    return user


async def log_in(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    max_age_seconds: int,
    two_factor_roles: frozenset[Role] = frozenset(),
) -> Login:
    """Check the credentials and open a session: complete, or waiting for the second factor.

    A user with two-factor login gets a short session that only the code page accepts; a user
    whose role requires it and who has not set it up gets one that only the set-up page accepts.
    """
    user = await check_password(session, email=email, password=password)
    stage = login_stage(user, two_factor_roles)
    return await open_session(session, user, stage=stage, max_age_seconds=max_age_seconds)


def login_stage(user: User, two_factor_roles: frozenset[Role]) -> SessionStage:
    """Where a login goes once the first factor (password or single sign-on) is right."""
    if two_factor.is_enabled(user):
        return SessionStage.CODE
    if two_factor.is_required(user, two_factor_roles):
        return SessionStage.ENROL
    return SessionStage.COMPLETE


async def open_session(
    session: AsyncSession, user: User, *, stage: SessionStage, max_age_seconds: int
) -> Login:
    """Open a browser session; a complete one marks the user online and is audited as a login."""
    now = utc_now()
    await repository.delete_expired_sessions(session, now)
    token, csrf = new_token(), new_token()
    lifetime = max_age_seconds if stage is SessionStage.COMPLETE else _PENDING_SECONDS
    session.add(
        AuthSession(
            token_hash=hash_token(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(seconds=min(lifetime, max_age_seconds)),
            stage=stage,
        )
    )
    if stage is SessionStage.COMPLETE:
        if user.presence is not Presence.ONLINE:
            user.online_since = now
        user.presence = Presence.ONLINE
        user.away_idle = False
        user.last_seen_at = now
        await audit.record(session, "login", actor=user, target=user.email)
    return Login(user=user, token=token, csrf_token=csrf, stage=stage)


async def finish_login(
    session: AsyncSession, user: User, *, token: str, max_age_seconds: int
) -> Login:
    """Replace a pending session (second factor done) by a complete one with a new token."""
    await repository.delete_auth_session(session, hash_token(token))
    return await open_session(
        session, user, stage=SessionStage.COMPLETE, max_age_seconds=max_age_seconds
    )


async def authenticate(
    session: AsyncSession,
    token: str,
    *,
    stages: frozenset[SessionStage] = frozenset({SessionStage.COMPLETE}),
) -> tuple[User, AuthSession]:
    """Return the user and session behind a cookie token, or raise AuthenticationError.

    Only a complete login passes unless ``stages`` says otherwise (the two-factor pages).
    """
    auth_session = await repository.get_auth_session(session, hash_token(token))
    if auth_session is None or auth_session.expires_at <= utc_now():
        raise AuthenticationError("Your session has expired; please log in again.")
    if auth_session.stage not in stages:
        raise AuthenticationError("Finish logging in first: the second step is still due.")
    user = await repository.get_user(session, auth_session.user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("Your account is disabled; ask an administrator.")
    return user, auth_session


SEEN_EVERY = timedelta(seconds=20)  # how stale last_seen_at may get before a request renews it


async def seen(session: AsyncSession, user: User) -> None:
    """Record that the user is at their console (at most one write every ``SEEN_EVERY``).

    Most console requests are reads; the one that renews the time becomes a writer first.
    """
    now = utc_now()
    if user.last_seen_at is None or now - user.last_seen_at >= SEEN_EVERY:
        await write_from_here(session)
        user.last_seen_at = now
        await session.flush()


async def log_out(session: AsyncSession, *, user: User, token: str) -> None:
    await repository.delete_auth_session(session, hash_token(token))
    user.presence = Presence.OFFLINE
    await audit.record(session, "logout", actor=user, target=user.email)


async def set_presence(session: AsyncSession, user: User, presence: Presence) -> None:
    """Change the user's presence; going online starts a working stretch, and saying so
    again is a check-in (an agent working through the API stays online by it)."""
    if presence is Presence.ONLINE:
        if user.presence is not Presence.ONLINE:
            user.online_since = utc_now()
        user.last_seen_at = utc_now()
    user.presence = presence
    user.away_idle = False  # the user's own choice
    await session.flush()


async def take_break(session: AsyncSession, user: User) -> None:
    """Mark the user away on a break; the stretch since the last break starts again."""
    user.presence = Presence.AWAY
    user.away_idle = False
    user.last_break_at = utc_now()
    await session.flush()


async def report_activity(
    session: AsyncSession, user: User, *, idle: timedelta, away_after: timedelta | None
) -> bool:
    """Take the console's word for how long the user has not typed or moved the mouse.

    Online and idle for ``away_after``: away (no new conversations; those held stay). Away
    for that reason and active again: online, without starting a new working stretch (idling
    is no break). A chosen presence (a break, "away", offline) is left alone; ``away_after``
    None never sets anyone away. Return whether the presence changed.
    """
    await seen(session, user)
    idle_now = away_after is not None and idle >= away_after
    if idle_now and user.presence is Presence.ONLINE:
        user.presence, user.away_idle = Presence.AWAY, True
    elif not idle_now and user.presence is Presence.AWAY and user.away_idle:
        user.presence, user.away_idle = Presence.ONLINE, False
    else:
        return False
    await session.flush()
    return True


async def list_users(session: AsyncSession) -> Sequence[User]:
    """Every user, active or not, oldest first."""
    return await repository.list_users(session)


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = await repository.get_user(session, user_id)
    if user is None:
        raise NotFoundError(f"No user {user_id}.")
    return user


async def do_update_user(
    session: AsyncSession,
    user: User,
    *,
    name: str | None = None,
    role: Role | None = None,
    skills: Sequence[str] | None = None,
    capacity: int | None = None,
) -> User:
    """Change what is given of a user's profile (their access through ``role``)."""
    if name is not None:
        user.name = name
    if role is not None and role is not user.role:
        await audit.record(session, "user.role_changed", target=user.email, role=role.value)
        user.role = role
    if skills is not None:
        user.skills = _normalise_skills(skills)
    if capacity is not None:
        user.capacity = capacity
    await session.flush()
    return user


async def do_set_language(session: AsyncSession, user: User, *, language: str | None) -> User:
    """Set the language of ``user``'s pages; None follows their browser.

    Precondition: ``language`` is one the interface has (the web layer offers only those).
    """
    user.language = language
    await session.flush()
    return user


async def only_admin(session: AsyncSession) -> User:
    """The one active admin; an error that asks for an e-mail when there are none or several."""
    admins = await repository.list_active_admins(session)
    if len(admins) != 1:
        raise InvalidInputError(
            f"There are {len(admins)} active admins; say which user the token acts as "
            "(`tandem token create EMAIL --name NAME`)."
        )
    return admins[0]


async def list_staff(session: AsyncSession) -> Sequence[User]:
    return await repository.list_staff(session)


async def count_online_agents(session: AsyncSession) -> int:
    return await repository.count_online(session)


async def users_by_id(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, User]:
    return await repository.get_users(session, sorted(set(user_ids)))
