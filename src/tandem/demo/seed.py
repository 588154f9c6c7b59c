"""Load the demo company: its knowledge base, three agents, an admin and a few customers.

Idempotent: running it again updates nothing that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Role
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Tier
from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge import service as knowledge_service


@dataclass(frozen=True, slots=True)
class DemoUser:
    email: str
    name: str
    role: Role
    skills: tuple[str, ...]
    password: str  # demo only: printed on start so people can log in


DEMO_USERS = (
    DemoUser(
        "ana@pebbleandpine.example",
        "Ana Costa",
        Role.AGENT,
        ("returns", "refunds", "care", "en", "pt"),
        "ana-demo-2026",
    ),
    DemoUser(
        "ben@pebbleandpine.example",
        "Ben Okafor",
        Role.AGENT,
        ("shipping", "orders", "en", "fr"),
        "ben-demo-2026",
    ),
    DemoUser(
        "chloe@pebbleandpine.example",
        "Chloé Martin",
        Role.SUPERVISOR,
        ("payments", "account", "vip", "care", "en", "fr", "de"),
        "chloe-demo-2026",
    ),
    DemoUser("admin@pebbleandpine.example", "Demo Admin", Role.ADMIN, (), "admin-demo-2026"),
)

DEMO_CUSTOMERS = (
    ("vera.vip@example.com", "Vera Lindqvist", Tier.VIP),
    ("sam.taylor@example.com", "Sam Taylor", Tier.STANDARD),
    ("maria.garcia@example.com", "María García", Tier.STANDARD),
)


@dataclass(frozen=True, slots=True)
class SeedReport:
    articles_created: int
    articles_updated: int
    users_created: int
    customers_created: int


async def seed(session: AsyncSession) -> SeedReport:
    """Import the demo knowledge base and create the demo users and customers if missing."""
    imported = await knowledge_service.import_folder(session, KNOWLEDGE_DIR)
    users_created = 0
    for user in DEMO_USERS:
        if await auth_service.find_user(session, user.email) is None:
            await auth_service.create_user(
                session,
                email=user.email,
                name=user.name,
                password=user.password,
                role=user.role,
                skills=user.skills,
            )
            users_created += 1
    customers_created = 0
    for email, name, tier in DEMO_CUSTOMERS:
        if await conversation_service.ensure_customer(session, email=email, name=name, tier=tier):
            customers_created += 1
    return SeedReport(
        articles_created=len(imported.created),
        articles_updated=len(imported.updated),
        users_created=users_created,
        customers_created=customers_created,
    )
