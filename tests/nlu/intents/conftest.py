"""A small generated shop dataset and a model trained on it once per session (light mode)."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from tandem.nlu.intents.data import Dataset, Example
from tandem.nlu.intents.finetune import FineTuneConfig, LabelledTexts, TunedHead, centroid_head
from tandem.nlu.intents.model import IntentModel
from tandem.nlu.intents.training import TrainingConfig, train

OPENERS = ("", "hi, ", "please ", "hello, can you tell me ", "quick question: ")
PHRASES = {
    "order_status": ("where is my order", "track my parcel", "has my package shipped"),
    "reset_password": ("i forgot my password", "reset my password", "i cant log in"),
    "refund_status": ("where is my refund", "when do i get my money back", "refund not here"),
    "unsubscribe": ("stop sending me emails", "unsubscribe me", "no more newsletters"),
}
OOS_PHRASES = (
    "what is the weather tomorrow",
    "tell me a joke",
    "who won the football",
    "how do i bake bread",
    "what is the capital of peru",
    "recommend a movie",
    "how tall is everest",
    "play some jazz",
    "what is two plus two",
    "write me a poem",
    "book me a flight",
    "how do i fix my bike",
)
# Unseen out-of-scope messages: no word in common with any intent.
UNSEEN_OOS = ("translate cheese into german", "sing happy birthday", "explain quantum physics")
TINY_CONFIG = TrainingConfig(
    c_grid=(0.3, 1.0),
    n_jobs=1,
    fine_tune_config=FineTuneConfig(target_steps=20, min_epochs=1, max_epochs=2),
    fine_tune_min_per_label=1,  # the shop dataset has 14 examples per label
)


def shop_examples(*, with_oos: bool = True) -> list[tuple[str, str]]:
    """Return (text, intent) pairs: every intent phrase after every opener, plus OOS ones."""
    rows = [
        (f"{opener}{phrase}", intent)
        for intent, phrases in PHRASES.items()
        for opener, phrase in itertools.product(OPENERS, phrases)
    ]
    if with_oos:
        rows += [(phrase, "oos") for phrase in OOS_PHRASES]
    return rows


def shop_dataset(*, with_oos: bool = True) -> Dataset:
    rows = shop_examples(with_oos=with_oos)
    return Dataset(tuple(Example(t, i, n) for n, (t, i) in enumerate(rows, start=2)))


def write_csv(path: Path, rows: Sequence[tuple[str, str]]) -> Path:
    lines = ["text,intent", *(f'"{text}",{intent}' for text, intent in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class HashingEncoder:
    """A deterministic stand-in for a sentence encoder: hashed bag of words, L2-normalised."""

    name = "hashing-test-encoder"
    dimensions = 64

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.calls += 1
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.sha256(word.encode()).digest()
                vectors[row, digest[0] % self.dimensions] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


class TunableHashingEncoder(HashingEncoder):
    """A fine-tunable stand-in: "tuning" records its data and returns centroid class vectors."""

    name = "tunable-hashing-test-encoder"

    def __init__(self) -> None:
        super().__init__()
        self.tuned_on: LabelledTexts | None = None
        self.heldout: LabelledTexts | None = None

    def fine_tuned(
        self,
        train: LabelledTexts,
        heldout: LabelledTexts,
        *,
        n_classes: int,
        config: FineTuneConfig,
        seed: int,
        progress: Callable[[str], None],
    ) -> tuple[TunableHashingEncoder, TunedHead]:
        tuned = TunableHashingEncoder()
        tuned.tuned_on, tuned.heldout = train, heldout
        head = centroid_head(self.encode(train.texts), train.gold, n_classes)
        weights = (config.scale * head).astype(np.float32)
        return tuned, TunedHead(weights, epochs=1, best_epoch=1, heldout_accuracy=1.0)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "encoder.json").write_text(json.dumps({"name": self.name}), encoding="utf-8")


class BrokenEncoder(HashingEncoder):
    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        raise RuntimeError("encoder crashed")


@pytest.fixture(scope="session")
def light_model() -> IntentModel:
    return train(shop_dataset(), config=TINY_CONFIG, mode="light")
