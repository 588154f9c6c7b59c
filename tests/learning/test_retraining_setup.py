"""Retraining keeps the live model's mode and its costs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.learning.retrain import INTENTS_FOLDER, intent_training
from tandem.nlu.intents.artefact import METADATA


def _live_model(model_dir: Path, training: dict[str, object]) -> None:
    folder = model_dir / INTENTS_FOLDER
    folder.mkdir(parents=True)
    (folder / METADATA).write_text(json.dumps({"training": training}), encoding="utf-8")


@pytest.mark.parametrize(
    ("training", "mode", "fine_tune"),
    [
        ({"mode": "light"}, "light", False),
        ({"mode": "embeddings"}, "auto", False),  # trained with a frozen encoder: stays so
        ({"mode": "embeddings", "fine_tuning": {"epochs": 4}}, "auto", True),
    ],
)
def test_retraining_trains_like_the_live_model(
    tmp_path: Path, training: dict[str, object], mode: str, fine_tune: bool
) -> None:
    _live_model(tmp_path, training)
    setup = intent_training(tmp_path, tmp_path / "base.csv")
    assert setup is not None
    assert setup.mode == mode
    assert setup.config.fine_tune is fine_tune


def test_no_live_model_or_no_base_file_means_no_retraining(tmp_path: Path) -> None:
    assert intent_training(tmp_path, tmp_path / "base.csv") is None
    _live_model(tmp_path, {"mode": "light"})
    assert intent_training(tmp_path, None) is None
