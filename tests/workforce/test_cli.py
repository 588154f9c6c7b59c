"""`tandem staffing` and `tandem forecast`, run as a person would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.config import get_settings

runner = CliRunner()
EXAMPLE = [
    "staffing",
    "--contacts", "100",
    "--interval-minutes", "30",
    "--aht-seconds", "180",
    "--target-level", "0.8",
    "--target-seconds", "20",
]  # fmt: skip


def test_staffing_json_answers_the_published_example() -> None:
    result = runner.invoke(app, [*EXAMPLE, "--shrinkage", "0.3", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert list(answer) == [
        "agents",
        "agents_with_shrinkage",
        "service_level",
        "probability_of_waiting",
        "asa_seconds",
    ]
    assert (answer["agents"], answer["agents_with_shrinkage"]) == (14, 20)
    assert round(answer["service_level"], 3) == 0.888
    assert round(answer["probability_of_waiting"], 3) == 0.174
    assert answer["asa_seconds"] == pytest.approx(7.84, abs=0.01)


def test_staffing_says_it_in_words() -> None:
    result = runner.invoke(app, [*EXAMPLE, "--shrinkage", "0.3"])
    assert result.exit_code == 0, result.output
    assert "Load: 10.00 Erlangs" in result.output
    assert "With 30% shrinkage:       20" in result.output
    assert "88.8% answered within 20 s" in result.output


def test_staffing_with_patience_uses_erlang_a() -> None:
    result = runner.invoke(app, [*EXAMPLE, "--patience-seconds", "60", "--json"])
    assert json.loads(result.output)["agents"] == 12
    words = runner.invoke(app, [*EXAMPLE, "--patience-seconds", "60"]).output
    assert "Erlang A, mean patience 60 s" in words
    assert "Abandonment:" in words


def test_impossible_staffing_inputs_fail_with_a_reason() -> None:
    result = runner.invoke(app, [*EXAMPLE[:-4], "--target-level", "1.5", "--target-seconds", "20"])
    assert result.exit_code == 1
    assert "target level must be between 0 and 1" in result.output


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)  # the demo writes its models beside the current folder
    get_settings.cache_clear()
    result = runner.invoke(app, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "past conversations" in result.output
    assert "/admin" in result.output
    yield tmp_path
    get_settings.cache_clear()


def test_forecast_from_the_demo_history(demo_database: Path) -> None:
    table = runner.invoke(app, ["forecast"])
    assert table.exit_code == 0, table.output
    assert "interval" in table.output
    assert "Mon 10:00" in table.output
    now = json.loads(runner.invoke(app, ["forecast", "--json"]).output)
    assert len(now["intervals"]) == 7 * 48
    assert now["peak_agents"] > 0
    better = json.loads(
        runner.invoke(app, ["forecast", "--ai-resolution-points", "20", "--json"]).output
    )
    assert better["baseline_agent_hours"] == now["agent_hours"]
    assert better["agent_hours"] < now["agent_hours"]
    assert better["contacts"] == pytest.approx(now["contacts"])
