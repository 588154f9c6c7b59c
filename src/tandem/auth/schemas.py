"""API shapes for users and logins."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from tandem.auth.models import Presence, Role


class LoginCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=1, max_length=1000)


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
