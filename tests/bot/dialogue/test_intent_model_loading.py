"""The bot serves an embeddings-trained model at once, and its encoder once it has loaded."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.bot import intent_models
from tandem.nlu.intents.artefact import save_model
from tandem.nlu.intents.encoders import EncoderUnavailableError
from tandem.nlu.intents.training import train
from tests.nlu.intents.conftest import TINY_CONFIG, HashingEncoder, shop_dataset


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    model = train(shop_dataset(), config=TINY_CONFIG, encoder=HashingEncoder(), mode="embeddings")
    save_model(model, tmp_path / "intents")
    yield tmp_path / "intents"
    intent_models._loaded.pop(tmp_path / "intents", None)


def _wait_for_mode(folder: Path, mode: str) -> str | None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        model = intent_models.intent_model(folder)
        if model is not None and model.mode == mode:
            return model.mode
        time.sleep(0.02)
    model = intent_models.intent_model(folder)
    return None if model is None else model.mode


def test_the_text_head_serves_until_the_encoder_takes_over(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loading = []

    def slow_encoder() -> HashingEncoder:
        loading.append(time.monotonic())
        time.sleep(0.3)  # torch and the weights take seconds in real life
        return HashingEncoder()

    monkeypatch.setattr(intent_models, "encoder_factory", slow_encoder)
    first = intent_models.intent_model(folder)
    assert first is not None
    assert first.mode == "light"  # at once, without waiting for the encoder
    assert first.predict("where is my order").intent == "order_status"
    assert _wait_for_mode(folder, "embeddings") == "embeddings"
    assert len(loading) == 1  # loaded once, not on every turn


def test_without_the_extra_the_text_head_keeps_serving(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable() -> HashingEncoder:
        raise EncoderUnavailableError("pip install 'tandem[embeddings]'")

    monkeypatch.setattr(intent_models, "encoder_factory", unavailable)
    model = intent_models.intent_model(folder)
    assert model is not None
    time.sleep(0.2)
    again = intent_models.intent_model(folder)
    assert again is model
    assert again.mode == "light"
