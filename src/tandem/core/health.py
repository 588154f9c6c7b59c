"""Liveness and readiness: is this process up, and can it serve (database, schema, Redis)?"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


async def check_database(engine: AsyncEngine, *, expected_heads: Collection[str]) -> list[Check]:
    """Return whether the database answers and its schema is at the migrations' head."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            current = {str(row[0]) for row in rows}
    except Exception as error:  # any failure to reach or read it means "not ready"
        return [Check("database", False, type(error).__name__)]
    at_head = current == set(expected_heads)
    detail = "at head" if at_head else f"at {sorted(current)}; run `tandem db upgrade`"
    return [Check("database", True, "reachable"), Check("schema", at_head, detail)]


async def check_redis(url: str) -> Check:
    """Return whether Redis answers a PING."""
    from redis.asyncio import Redis  # imported here: only deployments with Redis need it

    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
    except Exception as error:  # any failure means "not ready"
        return Check("redis", False, type(error).__name__)
    finally:
        await client.aclose()
    return Check("redis", True, "reachable")
