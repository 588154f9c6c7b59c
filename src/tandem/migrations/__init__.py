"""Schema migrations (Alembic), run with ``tandem db upgrade``.

They live inside the package, not beside it, so an installed Tandem can upgrade its database.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent


def alembic_config(database_url: str) -> Config:
    """Return an Alembic configuration pointing at ``database_url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def heads() -> set[str]:
    """Return the revisions a fully upgraded database is at."""
    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database schema down to ``revision``."""
    command.downgrade(alembic_config(database_url), revision)
