"""A trained model predicts intents, rejects out-of-scope messages and survives a round trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tandem.nlu.intents.artefact import FORMAT_VERSION, ArtefactError, load_model, save_model
from tandem.nlu.intents.model import IntentModel
from tandem.nlu.intents.training import train
from tests.nlu.intents.conftest import (
    TINY_CONFIG,
    UNSEEN_OOS,
    BrokenEncoder,
    HashingEncoder,
    shop_dataset,
)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        pytest.param("hey where is my order", "order_status", id="order"),
        pytest.param("I forgot my pasword", "reset_password", id="typo"),
        pytest.param("when do I get my money back?", "refund_status", id="refund"),
        pytest.param("please unsubscribe me", "unsubscribe", id="unsubscribe"),
    ],
)
def test_in_scope_messages_get_their_intent(
    light_model: IntentModel, text: str, intent: str
) -> None:
    prediction = light_model.predict(text)
    assert prediction.intent == intent, prediction.reason
    assert not prediction.out_of_scope
    assert prediction.confidence >= light_model.threshold
    assert intent not in [name for name, _ in prediction.alternatives]


@pytest.mark.parametrize("text", [*UNSEEN_OOS, "", "   "])
def test_unseen_out_of_scope_messages_are_rejected(light_model: IntentModel, text: str) -> None:
    prediction = light_model.predict(text)
    assert prediction.out_of_scope, prediction.reason
    assert prediction.intent is None


def test_the_threshold_is_calibrated_from_out_of_scope_examples(
    light_model: IntentModel,
) -> None:
    assert "out-of-scope recall" in light_model.text_calibration.rule
    assert 0.0 < light_model.threshold < 1.0


def test_without_out_of_scope_examples_the_threshold_targets_few_false_rejects() -> None:
    model = train(shop_dataset(with_oos=False), config=TINY_CONFIG, mode="light")
    assert "least confident 5%" in model.text_calibration.rule
    assert model.oos_label not in model.labels
    assert model.predict("where is my order please").intent == "order_status"
    # Far from every intent: nothing claims it, even without an out-of-scope class.
    assert model.predict("xylophone quantum zebra").out_of_scope


def test_round_trip_keeps_predictions_and_records_metadata(
    light_model: IntentModel, tmp_path: Path
) -> None:
    save_model(light_model, tmp_path)
    loaded = load_model(tmp_path)
    texts = ["where is my parcel", "tell me a joke", "refund??"]
    np.testing.assert_allclose(
        loaded.probabilities(texts), light_model.probabilities(texts), atol=1e-6
    )
    assert [p.intent for p in loaded.predict_many(texts)] == [
        p.intent for p in light_model.predict_many(texts)
    ]
    metadata = json.loads((tmp_path / "metadata.json").read_text())
    assert metadata["format_version"] == FORMAT_VERSION
    assert metadata["labels"] == list(light_model.labels)
    assert metadata["training"]["seed"] == TINY_CONFIG.seed
    assert metadata["training"]["data_sha256"] == shop_dataset().fingerprint()
    assert metadata["training"]["trained_at"].endswith("+00:00")


def test_training_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = train(shop_dataset(), config=TINY_CONFIG, mode="light")
    second = train(shop_dataset(), config=TINY_CONFIG, mode="light")
    save_model(first, tmp_path / "first")
    save_model(second, tmp_path / "second")
    for name in ("weights.npz", "vocabulary.json"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
    assert first.threshold == second.threshold


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param("weights.npz", "does not match its checksum", id="tampered-weights"),
        pytest.param("metadata.json", "holds a model in format 99", id="format-version"),
        pytest.param("vocabulary.json", "is missing", id="missing-file"),
    ],
)
def test_damaged_artefacts_are_refused_with_advice(
    light_model: IntentModel, tmp_path: Path, damage: str, message: str
) -> None:
    save_model(light_model, tmp_path)
    path = tmp_path / damage
    if damage == "weights.npz":
        path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    elif damage == "metadata.json":
        document = json.loads(path.read_text())
        path.write_text(json.dumps(document | {"format_version": 99}))
    else:
        path.unlink()
    with pytest.raises(ArtefactError, match=message):
        load_model(tmp_path)


def test_a_missing_model_says_how_to_train_one(tmp_path: Path) -> None:
    with pytest.raises(ArtefactError, match="run `tandem nlu train"):
        load_model(tmp_path / "nothing-here")


def test_embeddings_blend_and_degrade_to_the_text_head(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    model = train(shop_dataset(), config=TINY_CONFIG, encoder=encoder, mode="embeddings")
    assert model.mode == "embeddings"
    assert model.blend_calibration is not None
    assert model.predict("where is my order").intent == "order_status"
    save_model(model, tmp_path)

    restored = load_model(tmp_path, encoder_factory=HashingEncoder)
    np.testing.assert_allclose(
        restored.probabilities(["track my parcel"]),
        model.probabilities(["track my parcel"]),
        atol=1e-5,
    )
    without = load_model(tmp_path, encoder_factory=None)
    assert without.mode == "light"
    assert without.degraded == "trained with embeddings, loaded without them"
    assert without.predict("where is my order").intent == "order_status"


def test_a_failing_encoder_falls_back_to_the_text_head(caplog: pytest.LogCaptureFixture) -> None:
    model = train(shop_dataset(), config=TINY_CONFIG, encoder=HashingEncoder(), mode="auto")
    model.encoder = BrokenEncoder()
    text_only = model.text_calibration.probabilities(
        [model.text_scorer.scores(model.features.transform(["reset my password"]))]
    )
    np.testing.assert_allclose(model.probabilities(["reset my password"]), text_only)
    assert model.predict("reset my password").intent == "reset_password"
    assert "sentence encoder failed" in caplog.text
