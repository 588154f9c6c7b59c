"""Database engine, sessions and the declarative base shared by every domain."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from tandem.core.events import discard_notifications, flush_notifications
from tandem.core.followups import discard_pending_jobs, queue_pending_jobs
from tandem.core.matching import register_sqlite_functions
from tandem.core.time import as_utc

SQLITE_BEGIN_OPTION = "tandem_sqlite_begin"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused; use tandem.core.time.utc_now()")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations get stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL, a busy timeout, enforced foreign keys and
    ``core.matching``'s functions."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # Any: DB-API object
            # Take transaction control from the driver so BEGIN IMMEDIATE is possible (below).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            register_sqlite_functions(dbapi_connection)

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(connection: Any) -> None:  # Any: the sync Connection
            # A write unit of work locks the file up front; a deferred one that read first
            # would fail with "database is locked" when another writer got in between.
            mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
            connection.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_async_engine(database_url, echo=echo, pool_pre_ping=True)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return the session factory; objects stay usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def begin_write(session: AsyncSession) -> None:
    """Start the session's transaction as a writer (an immediate lock on SQLite)."""
    await session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})


# Set on a unit of work opened as a reader (a safe-method request): nothing it holds is
# written, so ``write_from_here`` may end its read transaction and begin a writer.
_READER = "tandem_reader"


async def write_from_here(session: AsyncSession) -> None:
    """Make a reader's unit of work (a safe-method request) a writer from here on.

    A GET runs in a deferred (read) transaction. On SQLite a read that later writes fails at
    once with "database is locked" when another connection wrote meanwhile, so a GET that must
    write (the single sign-on callback, an agent's "last seen") calls this first. A reader
    that has read already ends its read transaction (it wrote nothing; objects stay usable)
    and begins a writer, which waits its turn for the lock like any other. A session that is
    no reader (a writer already, or a test sharing its own) is left as it is.
    """
    if not session.in_transaction():
        await begin_write(session)
    elif session.info.pop(_READER, False):
        await session.commit()
        await begin_write(session)


@asynccontextmanager
async def transaction(
    factory: async_sessionmaker[AsyncSession], *, write: bool = True
) -> AsyncIterator[AsyncSession]:
    """Run a unit of work: commit on success, roll back on error; then publish notifications
    and queue the jobs it asked for."""
    async with factory() as session:
        try:
            if write:
                await begin_write(session)
            else:
                session.info[_READER] = True
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            discard_notifications(session)
            discard_pending_jobs(session)
            raise
        await flush_notifications(session)
        await queue_pending_jobs(session)


# Opens one unit of work (a transaction, or a test's own session): jobs that call slow services
# take two, one before the call and one after, so no transaction is open during it.
Unit = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def within(session: AsyncSession) -> Unit:
    """Units of work on one open session, flushed and never committed: for a replay whose
    caller rolls everything back (``tandem eval dialogs``), and for tests."""

    @asynccontextmanager
    async def unit() -> AsyncIterator[AsyncSession]:
        yield session
        await session.flush()

    return unit
