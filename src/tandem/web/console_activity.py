"""The console's check-in: the agent is here, and how long since they last typed or moved.

An open console checks in every 30 s (presence follows a live console: one that stops
checking in goes offline after ``TANDEM_PRESENCE_TIMEOUT_SECONDS``). The check-in says how
long the agent has been idle, so an agent who walked away from an open console is shown as
away after ``TANDEM_AWAY_AFTER_IDLE_SECONDS`` and gets no new conversations until the next
keyboard or mouse input.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from tandem.auth import service as auth_service
from tandem.auth.deps import CurrentAgent
from tandem.auth.models import Presence
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.events import QUEUE_CHANNEL, notify_after_commit

router = APIRouter(prefix="/console", include_in_schema=False)

DAY_SECONDS = 86_400


class Activity(BaseModel):
    idle_seconds: Annotated[int, Field(ge=0, le=DAY_SECONDS)]


class PresenceRead(BaseModel):
    presence: Presence
    away_idle: bool  # away because of the idle time: the next input brings the agent back
    away_after_seconds: int | None


@router.post("/activity")
async def check_in(
    activity: Activity, agent: CurrentAgent, session: SessionDep, settings: SettingsDep
) -> PresenceRead:
    """Record the check-in; say the presence that results (the console shows it)."""
    seconds = settings.away_after_idle_seconds
    away_after = timedelta(seconds=seconds) if seconds > 0 else None
    changed = await auth_service.report_activity(
        session, agent, idle=timedelta(seconds=activity.idle_seconds), away_after=away_after
    )
    if changed:  # supervisors' and colleagues' views show presence
        notify_after_commit(session, QUEUE_CHANNEL)
    return PresenceRead(
        presence=agent.presence,
        away_idle=agent.away_idle,
        away_after_seconds=int(seconds) if seconds > 0 else None,
    )
