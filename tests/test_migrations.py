"""Migrations: one head, and upgrade → downgrade → upgrade works on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from tandem import migrations
from tests.conftest import Database


def test_there_is_exactly_one_head() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_migration_files_are_named_by_date_and_slug() -> None:
    names = [p.name for p in (migrations.MIGRATIONS_DIR / "versions").glob("*.py")]
    assert names
    assert all(len(n) > 16 and n[4] == "-" and n[10] == "-" and n[15] == "_" for n in names)


def test_upgrade_downgrade_upgrade(fresh_database: Database) -> None:
    migrations.downgrade(fresh_database.url, "base")
    migrations.upgrade(fresh_database.url)
