"""Alembic environment: runs migrations over the async engine."""

from __future__ import annotations

import asyncio
from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from tandem.auth import models as _auth_models  # noqa: F401 - registers tables
from tandem.channels.email import models as _email_models  # noqa: F401
from tandem.channels.webhooks import models as _webhook_models  # noqa: F401
from tandem.channels.widget import models as _widget_models  # noqa: F401
from tandem.config import get_settings
from tandem.conversations import models as _conversation_models  # noqa: F401
from tandem.copilot import models as _copilot_models  # noqa: F401
from tandem.core import outbox as _outbox  # noqa: F401
from tandem.core.db import Base, UTCDateTime, create_engine
from tandem.escalation import models as _escalation_models  # noqa: F401
from tandem.knowledge import models as _knowledge_models  # noqa: F401
from tandem.learning import models as _learning_models  # noqa: F401
from tandem.routing import models as _routing_models  # noqa: F401

target_metadata = Base.metadata


def _database_url() -> str:
    url = context.config.get_main_option("sqlalchemy.url")
    return url or get_settings().database_url


def _render_item(type_: str, obj: object, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations must not import application types: UTCDateTime is a timezone-aware DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # The job queue's tables belong to Procrastinate (migration 2026-12-05-1800_job_queue).
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_database_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(_run_async())
