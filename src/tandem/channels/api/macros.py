"""Saved replies (macros): every agent reads them, supervisors manage them."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import CurrentAgent
from tandem.copilot import service as copilot_service
from tandem.copilot.schemas import MacroCreate, MacroRead
from tandem.core.deps import RowId, SessionDep

router = APIRouter(prefix="/api/v1/agent/macros", tags=["agent"])


@router.get("")
async def list_macros(agent: CurrentAgent, session: SessionDep) -> list[MacroRead]:
    """List saved replies; ``{customer_name}``, ``{agent_name}``, ``{order_number}`` fill in."""
    return [MacroRead.model_validate(m) for m in await copilot_service.list_macros(session)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_macro(agent: CurrentAgent, session: SessionDep, body: MacroCreate) -> MacroRead:
    require_role(agent, SUPERVISORS, doing="manage saved replies")
    macro = await copilot_service.do_create_macro(
        session, title=body.title, body=body.body, by=agent
    )
    return MacroRead.model_validate(macro)


@router.delete("/{macro_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_macro(macro_id: RowId, agent: CurrentAgent, session: SessionDep) -> Response:
    require_role(agent, SUPERVISORS, doing="manage saved replies")
    await copilot_service.do_delete_macro(session, macro_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
