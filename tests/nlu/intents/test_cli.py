"""`tandem nlu train` and `tandem nlu eval`, through the real command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.config import get_settings
from tandem.nlu.intents import cli as intents_cli
from tandem.nlu.intents.data import Dataset
from tandem.nlu.intents.model import IntentModel
from tandem.nlu.intents.training import TrainingConfig, train
from tests.nlu.intents.conftest import UNSEEN_OOS, shop_examples, write_csv

runner = CliRunner()
EVAL_KEYS = {
    "accuracy",
    "in_scope_accuracy",
    "macro_f1",
    "oos_precision",
    "oos_recall",
    "latency_p50_ms",
    "latency_p95_ms",
}


@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TANDEM_MODEL_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    yield tmp_path / "models"
    get_settings.cache_clear()


def test_train_then_eval_json_gives_the_documented_keys(model_dir: Path, tmp_path: Path) -> None:
    train_file = write_csv(tmp_path / "train.csv", shop_examples())
    trained = runner.invoke(app, ["nlu", "train", "--data", str(train_file), "--mode", "light"])
    assert trained.exit_code == 0, trained.output
    assert "cross-validation" in trained.output  # progress is shown
    assert (model_dir / "intents" / "metadata.json").is_file()

    test_rows = [
        ("where is my parcel please", "order_status"),
        ("reset my pasword", "reset_password"),
    ]
    test_file = write_csv(tmp_path / "test.csv", test_rows + [(t, "oos") for t in UNSEEN_OOS])
    result = runner.invoke(app, ["nlu", "eval", "--data", str(test_file), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures.keys() >= EVAL_KEYS
    assert figures["in_scope_accuracy"] == 1.0
    assert figures["oos_recall"] == 1.0

    readable = runner.invoke(app, ["nlu", "eval", "--data", str(test_file)])
    assert "out-of-scope        precision" in readable.output
    assert "model load time" in readable.output


def test_train_writes_where_out_says(model_dir: Path, tmp_path: Path) -> None:
    train_file = write_csv(tmp_path / "train.csv", shop_examples())
    out = tmp_path / "elsewhere"
    result = runner.invoke(
        app, ["nlu", "train", "--data", str(train_file), "--out", str(out), "--mode", "light"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "weights.npz").is_file()
    assert not model_dir.exists()
    predicted = runner.invoke(app, ["nlu", "predict", "where is my order", "--model", str(out)])
    assert predicted.output.startswith("order_status:")


def test_bad_training_data_fails_with_line_numbers(model_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,intent\nhello,\n,greeting\n", encoding="utf-8")
    result = runner.invoke(app, ["nlu", "train", "--data", str(bad)])
    assert result.exit_code == 1
    assert "line 2: 'intent' is missing" in result.output
    assert "line 3: 'text' is missing" in result.output


def test_eval_without_a_model_says_to_train_first(model_dir: Path, tmp_path: Path) -> None:
    test_file = write_csv(tmp_path / "test.csv", [("hi", "greeting")])
    result = runner.invoke(app, ["nlu", "eval", "--data", str(test_file)])
    assert result.exit_code == 1
    assert "tandem nlu train" in result.output


def test_unknown_mode_is_refused(model_dir: Path, tmp_path: Path) -> None:
    train_file = write_csv(tmp_path / "train.csv", shop_examples())
    result = runner.invoke(app, ["nlu", "train", "--data", str(train_file), "--mode", "gpu"])
    assert result.exit_code == 1
    assert "--mode must be auto, light or embeddings" in result.output


@pytest.mark.parametrize(("flag", "fine_tune"), [([], True), (["--no-fine-tune"], False)])
def test_train_passes_the_fine_tuning_choice_on(
    model_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flag: list[str],
    fine_tune: bool,
) -> None:
    seen: list[TrainingConfig] = []

    def recording_train(dataset: Dataset, *, config: TrainingConfig, **kwargs: Any) -> IntentModel:
        seen.append(config)
        return train(dataset, config=config, mode="light")

    monkeypatch.setattr(intents_cli, "train", recording_train)
    train_file = write_csv(tmp_path / "train.csv", shop_examples())
    result = runner.invoke(app, ["nlu", "train", "--data", str(train_file), *flag])
    assert result.exit_code == 0, result.output
    assert [config.fine_tune for config in seen] == [fine_tune]
