"""The `tandem` command line, run against a real SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from tandem.auth import service as auth_service
from tandem.cli import app
from tandem.config import get_settings
from tandem.core.errors import AuthenticationError
from tandem.core.units import run_unit
from tandem.demo import KNOWLEDGE_DIR
from tandem.nlu.intents.artefact import load_model
from tests.factories import write_article

runner = CliRunner()


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)  # the demo writes its models beside the current folder
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_db_upgrade_then_kb_import_is_idempotent(database_env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    folder = database_env / "kb"
    folder.mkdir()
    write_article(folder, "refunds", title="Refunds", body="Refunds take 5 days.")
    first = runner.invoke(app, ["kb", "import", str(folder)])
    assert first.exit_code == 0, first.output
    assert "1 created, 0 updated, 0 unchanged" in first.output
    again = runner.invoke(app, ["kb", "import", str(folder)])
    assert "0 created, 0 updated, 1 unchanged" in again.output


def test_kb_reindex_after_an_import_has_nothing_left_to_encode(database_env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    folder = database_env / "kb"
    folder.mkdir()
    write_article(folder, "refunds", title="Refunds", body="Refunds take 5 days.")
    assert runner.invoke(app, ["kb", "import", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["kb", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Stored 0 new vectors; removed 0" in result.output


def test_kb_import_reports_bad_files_and_fails(database_env: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    folder = database_env / "kb"
    folder.mkdir()
    (folder / "broken.md").write_text("no front matter", encoding="utf-8")
    result = runner.invoke(app, ["kb", "import", str(folder)])
    assert result.exit_code == 1
    assert "broken.md" in result.output
    assert "nothing was imported" in result.output


def test_user_create_refuses_a_duplicate(database_env: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    args = [
        "user",
        "create",
        "--email",
        "a@example.com",
        "--name",
        "A",
        "--password",
        "long enough pw",
    ]
    created = runner.invoke(app, args)
    assert created.exit_code == 0, created.output
    assert "Created agent a@example.com" in created.output
    duplicate = runner.invoke(app, args)
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output


def _log_in(email: str, password: str) -> bool:
    async def attempt(session: AsyncSession) -> bool:
        try:
            await auth_service.log_in(session, email=email, password=password, max_age_seconds=60)
        except AuthenticationError:
            return False
        return True

    return run_unit(get_settings(), attempt)


def test_user_set_password_reads_it_from_standard_input(database_env: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    create = [
        "user",
        "create",
        "--email",
        "b@example.com",
        "--name",
        "B",
        "--password",
        "quiet harbour lantern",
    ]
    assert runner.invoke(app, create).exit_code == 0
    changed = runner.invoke(app, ["user", "set-password", "b@example.com"], input="new secret 42\n")
    assert changed.exit_code == 0, changed.output
    assert _log_in("b@example.com", "new secret 42")
    assert not _log_in("b@example.com", "quiet harbour lantern")
    short = runner.invoke(app, ["user", "set-password", "b@example.com"], input="short\n")
    assert short.exit_code == 1
    assert "at least" in short.output


def test_user_deactivate_and_reactivate(database_env: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    create = [
        "user",
        "create",
        "--email",
        "c@example.com",
        "--name",
        "C",
        "--password",
        "velvet orbit pencil",
    ]
    assert runner.invoke(app, create).exit_code == 0
    gone = runner.invoke(app, ["user", "deactivate", "c@example.com"])
    assert gone.exit_code == 0, gone.output
    assert "0 conversation(s)" in gone.output
    assert not _log_in("c@example.com", "velvet orbit pencil")
    assert runner.invoke(app, ["user", "reactivate", "c@example.com"]).exit_code == 0
    assert _log_in("c@example.com", "velvet orbit pencil")
    unknown = runner.invoke(app, ["user", "deactivate", "nobody@example.com"])
    assert unknown.exit_code == 1
    assert "No user with e-mail nobody@example.com" in unknown.output


def test_demo_sets_up_the_shop_and_prints_the_logins(database_env: Path) -> None:
    result = runner.invoke(app, ["demo", "--no-serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/chat" in result.output
    assert "ana@pebbleandpine.example" in result.output
    assert f"{len(list(KNOWLEDGE_DIR.glob('*.md')))} articles added" in result.output
    assert "intents: trained the light model on 1280 examples" in result.output
    model = load_model(database_env / "tandem-demo-models" / "intents")
    assert model.predict("has my parcel shipped yet?").intent == "order_status"
    again = runner.invoke(app, ["demo", "--no-serve", "--port", "8123"])
    assert "intents: kept the trained model" in again.output


def test_production_refuses_to_serve_with_the_published_demo_passwords(
    database_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 0
    monkeypatch.setenv("TANDEM_ENVIRONMENT", "production")
    monkeypatch.setenv("TANDEM_SECRET_KEY", "k" * 48)
    monkeypatch.setenv("TANDEM_SECURE_COOKIES", "true")
    get_settings.cache_clear()
    refused = runner.invoke(app, ["serve"])
    assert refused.exit_code == 1
    assert "ana@pebbleandpine.example" in refused.output
    assert "tandem user set-password" in refused.output


def test_customer_export_prints_json_and_erase_anonymises(database_env: Path) -> None:
    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 0
    exported = runner.invoke(app, ["customer", "export", "sam.taylor@example.com"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["customer"]["name"] == "Sam Taylor"
    erased = runner.invoke(app, ["customer", "erase", "sam.taylor@example.com", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "Erased sam.taylor@example.com" in erased.output
    again = runner.invoke(app, ["customer", "export", "sam.taylor@example.com"])
    assert again.exit_code == 1
    assert "No customer with e-mail" in again.output
