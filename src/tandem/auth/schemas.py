"""API shapes for users and logins."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tandem.auth.models import Presence, Role


class LoginCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Not EmailStr: a login only needs to match a stored address, never to be deliverable.
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1000)
    code: str | None = Field(
        default=None,
        max_length=40,
        description="With two-factor login: the authenticator app's code, or a recovery code.",
    )


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    skills: list[str]
    presence: Presence


class LoginRead(BaseModel):
    user: UserRead
    csrf_token: str = Field(description="Send as X-CSRF-Token on every state-changing request.")
