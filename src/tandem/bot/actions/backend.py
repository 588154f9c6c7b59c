"""Call the company's backend for an action: one attempt, a timeout, and an honest outcome.

Never retried: a write that timed out may have happened, so a person checks instead.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from tandem.bot.actions.spec import TEMPLATES, Call

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CallResult:
    status: int | None  # None when no response came back
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # what went wrong, for the agent's brief


def _render(template: str, values: Mapping[str, str], *, in_path: bool) -> str:
    safe = {k: quote(v, safe="") if in_path else v for k, v in values.items()}
    return TEMPLATES.from_string(template).render(**safe)


async def call(base_url: str, spec: Call, values: Mapping[str, str]) -> CallResult:
    """Make the call once; report a timeout, a network error or a non-JSON reply as an error."""
    url = base_url.rstrip("/") + _render(spec.path, values, in_path=True)
    body = (
        {k: _render(v, values, in_path=False) for k, v in spec.json_body.items()}
        if spec.json_body is not None
        else None
    )
    try:
        async with httpx.AsyncClient(timeout=spec.timeout_seconds) as client:
            response = await client.request(spec.method, url, json=body)
    except httpx.TimeoutException:
        return CallResult(None, error=f"no answer within {spec.timeout_seconds:g} s")
    except httpx.HTTPError as error:
        logger.warning("action call to %s failed: %s", url, error)
        return CallResult(None, error=f"could not reach the backend ({type(error).__name__})")
    try:
        data = response.json() if response.content else {}
    except ValueError:
        return CallResult(response.status_code, error="the backend's reply was not JSON")
    return CallResult(response.status_code, data if isinstance(data, dict) else {"items": data})
