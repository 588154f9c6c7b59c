"""The escalation policy over the API: read, preview on past conversations, save, roll back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import CurrentAdmin, CurrentAgent
from tandem.core.deps import RowId, SessionDep
from tandem.escalation import service as escalation_service
from tandem.escalation.dryrun import DryRun, Outcome

router = APIRouter(prefix="/api/v1/admin/policy", tags=["policy"])

Document = Annotated[str, StringConstraints(max_length=100_000)]


class PolicyRead(BaseModel):
    version: int = Field(description="0 is the built-in default, never saved.")
    document: str


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    version: int
    comment: str
    created_by: int | None
    created_at: datetime
    active: bool


class PolicyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: Document
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class PreviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: Document
    conversations: int = Field(default=500, ge=1, le=5000)


class ChangeRead(BaseModel):
    conversation_id: str
    current: dict[str, object]
    candidate: dict[str, object]


class PreviewRead(BaseModel):
    conversations: int
    current_handoffs: int
    candidate_handoffs: int
    current_by_reason: dict[str, int]
    candidate_by_reason: dict[str, int]
    changed: list[ChangeRead]


def _outcome(result: Outcome) -> dict[str, object]:
    return {"handed_off": result.handed_off, "turn": result.turn, "reasons": list(result.reasons)}


def preview_read(report: DryRun) -> PreviewRead:
    return PreviewRead(
        conversations=report.conversations,
        current_handoffs=report.current_handoffs,
        candidate_handoffs=report.candidate_handoffs,
        current_by_reason=dict(report.current_by_reason),
        candidate_by_reason=dict(report.candidate_by_reason),
        changed=[
            ChangeRead(
                conversation_id=c.conversation_id,
                current=_outcome(c.current),
                candidate=_outcome(c.candidate),
            )
            for c in report.changed
        ],
    )


@router.get("")
async def get_policy(agent: CurrentAgent, session: SessionDep) -> PolicyRead:
    """Return the policy in force."""
    require_role(agent, SUPERVISORS, doing="read the escalation policy")
    active = await escalation_service.active_policy(session)
    return PolicyRead(version=active.version, document=active.document)


@router.get("/versions")
async def versions(agent: CurrentAgent, session: SessionDep) -> list[VersionRead]:
    require_role(agent, SUPERVISORS, doing="read the policy history")
    return [VersionRead.model_validate(v) for v in await escalation_service.history(session)]


@router.post("/preview")
async def preview(body: PreviewCreate, agent: CurrentAgent, session: SessionDep) -> PreviewRead:
    """What would this policy have done to the latest conversations? Nothing is saved."""
    require_role(agent, SUPERVISORS, doing="preview a policy")
    report = await escalation_service.preview(
        session, document=body.document, conversations=body.conversations
    )
    return preview_read(report)


@router.post("", status_code=status.HTTP_201_CREATED)
async def save(body: PolicyCreate, agent: CurrentAdmin, session: SessionDep) -> VersionRead:
    """Validate and save a new version; it takes effect at once."""
    row = await escalation_service.save_policy(
        session, document=body.document, comment=body.comment, user_id=agent.id
    )
    return VersionRead.model_validate(row)


@router.post("/versions/{version}/activate")
async def activate(version: RowId, agent: CurrentAdmin, session: SessionDep) -> VersionRead:
    """Roll back (or forward) to a saved version; the history is kept."""
    return VersionRead.model_validate(await escalation_service.activate_version(session, version))
