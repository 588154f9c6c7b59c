"""The `tandem` command line, run against a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.config import get_settings
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
