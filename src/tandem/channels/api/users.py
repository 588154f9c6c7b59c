"""Users for integrations and admins: agents, supervisors and admins, their skills and access."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, EmailStr, Field

from tandem.auth import service as auth_service
from tandem.auth.deps import CurrentAdmin
from tandem.auth.models import Role, User
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.routing import service as routing_service

router = APIRouter(prefix="/api/v1/users", tags=["integrations"])
UserId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Skill = Annotated[str, Field(min_length=1, max_length=60)]


class UserRead(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    skills: list[str]
    capacity: int
    active: bool
    presence: str
    last_seen_at: datetime | None
    created_at: datetime


class UserCreate(BaseModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    role: Role = Role.AGENT
    skills: list[Skill] = Field(default=[], max_length=50, examples=[["returns", "fr"]])
    password: str = Field(min_length=1, max_length=1000, description="Checked for strength.")


class UserUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    skills: list[Skill] | None = Field(default=None, max_length=50)
    capacity: int | None = Field(default=None, ge=1, le=50, description="Chats at once.")
    active: bool | None = Field(
        default=None, description="false: logged out everywhere, their chats go back in line."
    )


def _read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        skills=[str(s) for s in user.skills],
        capacity=user.capacity,
        active=user.is_active,
        presence=user.presence.value,
        last_seen_at=user.last_seen_at,
        created_at=user.created_at,
    )


@router.get("")
async def list_users(admin: CurrentAdmin, session: SessionDep) -> list[UserRead]:
    return [_read(u) for u in await auth_service.list_users(session)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, admin: CurrentAdmin, session: SessionDep) -> UserRead:
    user = await auth_service.create_user(
        session,
        email=str(body.email),
        name=body.name,
        password=body.password,
        role=body.role,
        skills=body.skills,
    )
    return _read(user)


@router.patch("/{user_id}")
async def update_user(
    user_id: UserId, body: UserUpdate, admin: CurrentAdmin, session: SessionDep
) -> UserRead:
    """Change a user's name, role, skills or capacity, or (de)activate them."""
    user = await auth_service.get_user(session, user_id)
    await auth_service.do_update_user(
        session, user, name=body.name, role=body.role, skills=body.skills, capacity=body.capacity
    )
    if body.active is False and user.is_active:
        await routing_service.deactivate_agent(session, user.email)
    elif body.active is True and not user.is_active:
        await auth_service.reactivate_user(session, email=user.email)
    return _read(user)
