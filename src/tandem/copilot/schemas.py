"""Saved replies over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

MacroTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MacroBody = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class MacroCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: MacroTitle
    body: MacroBody  # may use {customer_name}, {agent_name}, {order_number}


class MacroRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    body: str
    created_at: datetime
