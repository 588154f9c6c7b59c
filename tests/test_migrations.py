"""Migrations: one head, and upgrade → downgrade → upgrade works on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tandem import migrations
from tests.conftest import Database, drop_pg_database, make_database


def test_there_is_exactly_one_head() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_migration_files_are_named_by_date_and_slug() -> None:
    names = [p.name for p in (migrations.MIGRATIONS_DIR / "versions").glob("*.py")]
    assert names
    assert all(len(n) > 16 and n[4] == "-" and n[10] == "-" and n[15] == "_" for n in names)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    database, pg_name = make_database(request.param, tmp_path)
    yield database
    if pg_name:
        drop_pg_database(pg_name)


def test_upgrade_downgrade_upgrade(fresh_database: Database) -> None:
    migrations.downgrade(fresh_database.url, "base")
    migrations.upgrade(fresh_database.url)
