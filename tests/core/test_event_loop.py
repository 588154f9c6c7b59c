"""CPU-bound work (passwords, reading a turn, searching and auditing knowledge) runs off the loop.

While one of them runs on the loop, every stream and request of the process waits: four
logins once held /healthz for 620 ms. Each spy below records whether it was called from a
thread that runs an event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.knowledge import audit as knowledge_audit
from tandem.knowledge.index import RetrievalIndex
from tandem.nlu.reading import Reader
from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import import_demo_knowledge


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _spy(calls: list[bool], work: Callable[..., Any]) -> Callable[..., Any]:
    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(_on_loop())
        return work(*args, **kwargs)

    return spy


async def test_passwords_are_checked_off_the_event_loop(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[bool] = []
    monkeypatch.setattr(auth_service, "verify_password", _spy(checks, auth_service.verify_password))
    await log_in_agent(client, session)
    assert checks == [False]


async def test_a_turn_is_read_and_knowledge_searched_off_the_event_loop(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_demo_knowledge(session)
    readings: list[bool] = []
    searches: list[bool] = []
    monkeypatch.setattr(Reader, "read", _spy(readings, Reader.read))
    monkeypatch.setattr(RetrievalIndex, "search", _spy(searches, RetrievalIndex.search))
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    assert readings
    assert not any(readings)
    assert searches
    assert not any(searches)


async def test_the_knowledge_audit_compares_texts_off_the_event_loop(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_demo_knowledge(session)
    audits: list[bool] = []
    monkeypatch.setattr(knowledge_audit, "audit", _spy(audits, knowledge_audit.audit))
    findings = await knowledge_audit.audit_knowledge(session, max_age_days=365)
    assert findings
    assert audits == [False]
