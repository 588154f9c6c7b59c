"""The policy in force, as a request dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from tandem.core.deps import SessionDep
from tandem.escalation import service
from tandem.escalation.config import Policy


async def current_policy(session: SessionDep) -> Policy:
    return (await service.active_policy(session)).policy


PolicyDep = Annotated[Policy, Depends(current_policy)]
