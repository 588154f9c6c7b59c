"""Factory functions per domain: build real rows through the real services."""

from __future__ import annotations

import itertools
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Role, User
from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge import service as knowledge_service

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


async def create_agent(
    session: AsyncSession, *, name: str = "Agent", role: Role = Role.AGENT, email: str | None = None
) -> User:
    number = next(_counter)
    return await auth_service.create_user(
        session,
        email=email or f"agent{number}@example.com",
        name=f"{name} {number}",
        password=PASSWORD,
        role=role,
        skills=["returns"],
    )


async def import_demo_knowledge(session: AsyncSession) -> None:
    await knowledge_service.import_folder(session, KNOWLEDGE_DIR)


def write_article(folder: Path, slug: str, *, title: str, body: str, tags: str = "[faq]") -> Path:
    path = folder / f"{slug}.md"
    path.write_text(
        f"---\ntitle: {title}\ntags: {tags}\nlast_reviewed: 2026-10-01\n---\n\n{body}\n",
        encoding="utf-8",
    )
    return path
