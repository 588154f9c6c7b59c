"""A small generated shop dataset and a model trained on it once per session (light mode)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from tandem.nlu.intents.data import Dataset, Example
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
TINY_CONFIG = TrainingConfig(c_grid=(0.3, 1.0), n_jobs=1)


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


class BrokenEncoder(HashingEncoder):
    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        raise RuntimeError("encoder crashed")


@pytest.fixture(scope="session")
def light_model() -> IntentModel:
    return train(shop_dataset(), config=TINY_CONFIG, mode="light")
