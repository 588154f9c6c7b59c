"""The embeddings mode fine-tunes its encoder, then calibrates on messages it never trained on."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tandem.nlu.intents.artefact import load_model, save_model
from tandem.nlu.intents.encoders import MiniLMEncoder, encoder_available
from tandem.nlu.intents.finetune import FineTuneConfig, centroid_head, epochs_for
from tandem.nlu.intents.search import make_folds
from tandem.nlu.intents.training import TrainingConfig, train
from tests.nlu.intents.conftest import (
    TINY_CONFIG,
    UNSEEN_OOS,
    HashingEncoder,
    TunableHashingEncoder,
    shop_dataset,
)

needs_extra = pytest.mark.skipif(
    not encoder_available(), reason="the 'embeddings' extra is not installed"
)


def test_epochs_follow_the_data_size_within_bounds() -> None:
    config = FineTuneConfig(batch_size=32, target_steps=800, min_epochs=3, max_epochs=10)
    assert epochs_for(100, config) == 10  # 4 steps an epoch: capped at the most passes
    assert epochs_for(6_400, config) == 4  # 200 steps an epoch: 800 steps in 4 passes
    assert epochs_for(100_000, config) == 3  # large sets still get the fewest passes


def test_centroid_head_gives_every_class_a_unit_vector() -> None:
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], dtype=np.float32)
    head = centroid_head(vectors, np.array([0, 0, 1]), n_classes=3)
    np.testing.assert_allclose(np.linalg.norm(head, axis=1), 1.0)
    np.testing.assert_allclose(head[1], [0.0, 1.0])
    assert head[0] @ [1.0, 0.0] > 0.9  # the mean of its two examples' directions
    assert np.isfinite(head[2]).all()  # no example: a fixed direction, not a division by zero


def test_fine_tuning_trains_on_one_part_and_calibrates_on_the_rest(tmp_path: Path) -> None:
    dataset = shop_dataset()
    model = train(dataset, config=TINY_CONFIG, encoder=TunableHashingEncoder(), mode="embeddings")

    assert model.mode == "embeddings"
    tuned = model.encoder
    assert isinstance(tuned, TunableHashingEncoder)
    assert tuned.tuned_on is not None
    assert tuned.heldout is not None
    labels = sorted(set(dataset.labels))
    gold = np.array([labels.index(label) for label in dataset.labels])
    _, heldout_rows = make_folds(gold, 5, TINY_CONFIG.seed)[0]
    assert list(tuned.heldout.texts) == [dataset.texts[i] for i in heldout_rows]
    assert not set(tuned.tuned_on.texts) & set(tuned.heldout.texts)
    info = model.info["fine_tuning"]
    assert isinstance(info, dict)
    assert info["heldout_examples"] == len(heldout_rows)
    assert info["examples"] + info["heldout_examples"] == len(dataset.examples)
    assert model.predict("hello, can you tell me where is my order").intent == "order_status"

    save_model(model, tmp_path)
    metadata = json.loads((tmp_path / "metadata.json").read_text())
    assert metadata["encoder_folder"] == "encoder"
    assert "encoder/encoder.json" in metadata["files"]  # checksummed like the other files
    restored = load_model(tmp_path, encoder_factory=TunableHashingEncoder)
    np.testing.assert_allclose(
        restored.probabilities(["track my parcel"]),
        model.probabilities(["track my parcel"]),
        atol=1e-5,
    )


def test_a_fine_tuned_model_without_its_encoder_runs_on_the_text_head(tmp_path: Path) -> None:
    model = train(shop_dataset(), config=TINY_CONFIG, encoder=TunableHashingEncoder())
    save_model(model, tmp_path)
    # The default loader wants the saved encoder folder; without it the model degrades.
    for path in (tmp_path / "encoder").iterdir():
        path.unlink()
    (tmp_path / "encoder").rmdir()
    metadata = json.loads((tmp_path / "metadata.json").read_text())
    metadata["files"] = {k: v for k, v in metadata["files"].items() if "/" not in k}
    (tmp_path / "metadata.json").write_text(json.dumps(metadata))

    loaded = load_model(tmp_path)
    assert loaded.mode == "light"
    assert loaded.degraded is not None
    assert "fine-tuned encoder is not in the model folder" in loaded.degraded
    assert loaded.predict("where is my order").intent == "order_status"


def test_fine_tuning_can_be_switched_off() -> None:
    config = TrainingConfig(c_grid=(1.0,), embedding_c_grid=(1.0,), n_jobs=1, fine_tune=False)
    model = train(shop_dataset(), config=config, encoder=TunableHashingEncoder())
    assert model.mode == "embeddings"
    assert "fine_tuning" not in model.info
    assert "embedding_c" in model.info  # the frozen encoder's linear head was searched


def test_with_few_examples_per_label_the_encoder_stays_frozen() -> None:
    config = replace(TINY_CONFIG, fine_tune_min_per_label=20)
    model = train(shop_dataset(), config=config, encoder=TunableHashingEncoder())
    assert "fine_tuning" not in model.info
    assert "embedding_c" in model.info


def test_an_encoder_that_cannot_be_trained_is_used_frozen() -> None:
    model = train(shop_dataset(), config=TINY_CONFIG, encoder=HashingEncoder())
    assert "fine_tuning" not in model.info
    assert model.mode == "embeddings"


@needs_extra
def test_minilm_fine_tunes_saves_and_reloads_its_own_weights(tmp_path: Path) -> None:
    packaged = MiniLMEncoder()  # TINY_CONFIG fine-tunes for at most two epochs
    model = train(shop_dataset(), config=TINY_CONFIG, encoder=packaged, mode="embeddings")
    assert model.encoder is not packaged
    assert model.encoder is not None
    assert "fine-tuned" in model.encoder.name
    probe = ["hi, where is my parcel", "i cant log in"]
    assert not np.allclose(model.encoder.encode(probe), packaged.encode(probe), atol=1e-4)
    assert model.predict("please track my parcel").intent == "order_status"
    assert all(model.predict(text).out_of_scope for text in UNSEEN_OOS)

    save_model(model, tmp_path)
    assert (tmp_path / "encoder" / "model.safetensors").is_file()
    loaded = load_model(tmp_path)  # the default loader picks the saved, tuned encoder
    assert loaded.mode == "embeddings"
    np.testing.assert_allclose(loaded.probabilities(probe), model.probabilities(probe), atol=1e-4)
