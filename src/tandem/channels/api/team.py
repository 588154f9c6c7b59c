"""The agent's own state and the supervisor's view: presence, breaks, wellbeing, transfers."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tandem.auth import service as auth_service
from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import CurrentAgent
from tandem.auth.models import Presence
from tandem.channels.api.agent import handoff_read
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.core.errors import NotFoundError
from tandem.escalation.deps import PolicyDep
from tandem.routing import assignment, wellbeing
from tandem.routing import service as routing_service
from tandem.routing.access import access_conversation_as_agent
from tandem.routing.schemas import HandoffRead

router = APIRouter(prefix="/api/v1/agent", tags=["agent"])

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class PresenceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    presence: Presence


class WellbeingRead(BaseModel):
    presence: Presence
    suggest_break: bool
    why: str
    minutes_working: int
    load_since_break: float


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to_agent_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    to_queue: str | None = Field(default=None, max_length=64)
    note: Note = ""


class EndCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


async def _wellbeing(session: SessionDep, agent: CurrentAgent, policy: PolicyDep) -> WellbeingRead:
    advice = await wellbeing.break_advice(session, agent, policy=policy)
    return WellbeingRead(
        presence=agent.presence,
        suggest_break=advice.suggest,
        why=advice.why,
        minutes_working=advice.minutes_working,
        load_since_break=round(advice.load_since_break, 2),
    )


@router.get("/me/wellbeing")
async def my_wellbeing(
    agent: CurrentAgent, session: SessionDep, policy: PolicyDep
) -> WellbeingRead:
    """Say whether a short break is due after a long or intense stretch."""
    return await _wellbeing(session, agent, policy)


@router.post("/me/presence")
async def set_presence(
    body: PresenceUpdate, agent: CurrentAgent, session: SessionDep, policy: PolicyDep
) -> WellbeingRead:
    """Go online (waiting conversations may be assigned at once), away or offline.

    Without a console open, an agent working through the API says "online" again within the
    presence timeout (`TANDEM_PRESENCE_TIMEOUT_SECONDS`, 120 s) to keep their conversations.
    """
    await auth_service.set_presence(session, agent, body.presence)
    await assignment.assign_waiting(session, policy=policy)
    return await _wellbeing(session, agent, policy)


@router.post("/me/break")
async def take_break(agent: CurrentAgent, session: SessionDep, policy: PolicyDep) -> WellbeingRead:
    """Step away for a break: no new conversations until you go online again."""
    await auth_service.take_break(session, agent)
    return await _wellbeing(session, agent, policy)


@router.post("/conversations/{conversation_id}/transfer")
async def transfer(
    conversation_id: str,
    body: TransferCreate,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
) -> HandoffRead:
    """Move a conversation to another agent or queue with an internal note."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    target = None
    if body.to_agent_id is not None:
        target = (await auth_service.users_by_id(session, [body.to_agent_id])).get(body.to_agent_id)
        if target is None or not target.is_active:
            raise NotFoundError("There is no such active agent.")
    handoff = await routing_service.transfer(
        session,
        by=agent,
        conversation=conversation,
        policy=policy,
        note=body.note,
        to_agent=target,
        to_queue=body.to_queue,
    )
    return await handoff_read(session, handoff, conversation)


@router.post("/conversations/{conversation_id}/warn", status_code=201)
async def warn(
    conversation_id: str, agent: CurrentAgent, session: SessionDep, policy: PolicyDep
) -> dict[str, int]:
    """Send the standard warning about abusive language."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    message = await routing_service.warn_abusive(
        session, agent=agent, conversation=conversation, policy=policy
    )
    return {"seq": message.seq}


@router.post("/conversations/{conversation_id}/end")
async def end(
    conversation_id: str,
    body: EndCreate,
    agent: CurrentAgent,
    session: SessionDep,
    policy: PolicyDep,
) -> HandoffRead:
    """End an abusive chat after the warning, with a reason kept for review."""
    conversation = await access_conversation_as_agent(session, agent, conversation_id)
    handoff = await routing_service.end_abusive(
        session, agent=agent, conversation=conversation, policy=policy, reason=body.reason
    )
    return await handoff_read(session, handoff, conversation)


class OverviewRead(BaseModel):
    queues: list[dict[str, object]]
    agents: list[dict[str, object]]
    breached: int


@router.get("/supervisor")
async def supervisor_overview(
    agent: CurrentAgent, session: SessionDep, policy: PolicyDep
) -> OverviewRead:
    """Live queues, waits and SLA risk, and each agent's load and time since a break."""
    require_role(agent, SUPERVISORS, doing="see the supervisor overview")
    picture = await wellbeing.overview(session, policy=policy)
    return OverviewRead(
        queues=[asdict(q) for q in picture.queues],
        agents=[asdict(a) for a in picture.agents],
        breached=picture.breached,
    )
