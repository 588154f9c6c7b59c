"""Factory functions per domain: build real rows through the real services."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Role, User
from tandem.conversations import service as conversation_service
from tandem.conversations.customers import CustomerChanges, do_upsert_customer
from tandem.conversations.models import Author, Conversation, Customer
from tandem.demo import KNOWLEDGE_DIR
from tandem.escalation import service as escalation_service
from tandem.escalation.config import default_document
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


def policy_document(*, assignment: str = "pull", always_open: bool = True, **overrides: Any) -> str:
    """Return the default policy with every queue's assignment mode and hours changed."""
    data = yaml.safe_load(default_document())
    for queue in data["queues"].values():
        queue["assignment"] = assignment
        if always_open:
            queue.pop("hours", None)
    data.update(overrides)
    return str(yaml.safe_dump(data, sort_keys=False))


async def install_policy(session: AsyncSession, document: str) -> None:
    await escalation_service.save_policy(
        session, document=document, comment="set by a test", user_id=None
    )


async def create_customer(
    session: AsyncSession, *, name: str | None = None, email: str | None = None
) -> Customer:
    """A customer the company's systems sent (one without e-mail gets an external id)."""
    external_id = None if email else f"crm-{next(_counter)}"
    changes = CustomerChanges(email=email, external_id=external_id, name=name)
    customer, _created = await do_upsert_customer(session, changes)
    return customer


async def create_conversation(
    session: AsyncSession,
    customer: Customer,
    *messages: tuple[Author, str],
    last_active: datetime | None = None,
) -> Conversation:
    """A conversation of ``customer`` with ``messages`` in order; ``last_active`` backdates its
    latest activity (the order search and lists use)."""
    conversation, _customer, _token = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None, customer=customer
    )
    for author, text in messages:
        await conversation_service.append_message(session, conversation, author=author, text=text)
    if last_active is not None:
        conversation.updated_at = last_active
        await session.flush()
    return conversation
