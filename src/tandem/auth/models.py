"""Users and their login sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.enums import str_enum
from tandem.core.time import utc_now


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Presence(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.AGENT)
    password_hash: Mapped[str] = mapped_column(String(255))
    skills: Mapped[list[Any]] = mapped_column(default=list)
    presence: Mapped[Presence] = mapped_column(str_enum(Presence), default=Presence.OFFLINE)
    capacity: Mapped[int] = mapped_column(default=3)  # concurrent conversations
    cooldown_until: Mapped[datetime | None]  # no high-load conversation before this
    last_break_at: Mapped[datetime | None]
    online_since: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]  # the last request from this user's console or API
    # Away because the console saw no keyboard or mouse input for a while (back with the next
    # input), not by the user's choice (a break, or "away" picked in the console).
    away_idle: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    # The console's language (a catalogue in web/locales); None: the browser's, else English.
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    # Two-factor login (TOTP): the secret once confirmed, one being set up, the last time step
    # a code was accepted for (a code works once), and the hashes of unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    recovery_code_hashes: Mapped[list[Any]] = mapped_column(default=list)


class SessionStage(StrEnum):
    """How far a browser login has got: only a complete one reaches the console."""

    COMPLETE = "complete"
    CODE = "code"  # the password was right; the one-time code is still due
    ENROL = "enrol"  # the password was right; the role requires two-factor, not set up yet


class AuthSession(Base):
    """A browser login; the cookie holds a token whose hash is the primary key."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    stage: Mapped[SessionStage] = mapped_column(
        str_enum(SessionStage), default=SessionStage.COMPLETE, server_default="complete"
    )


class TokenScope(StrEnum):
    READ = "read"  # GET, HEAD and OPTIONS only
    WRITE = "write"  # everything the user may do but the admin API
    ADMIN = "admin"  # everything the user may do, the admin API included (an admin's token)


class ApiToken(Base):
    """A bearer token for the agent and admin API, acting as its user; stored as a hash."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in listings to tell tokens apart
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope), default=TokenScope.READ)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One security-relevant action: who did what to what, and when. Never updated."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )  # None: the command line or the system
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(320), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
