"""A retrain encodes only new text: the vectors of the corpus are kept on disk between runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from tandem.nlu.encoder import DEFAULT_ENCODER, SentenceEncoder, load_encoder
from tandem.nlu.encoding_store import StoredEncoder


class Counting:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self, inner: SentenceEncoder) -> None:
        self.inner, self.texts = inner, 0

    @property
    def name(self) -> str:
        return self.inner.name

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.texts += len(texts)
        return self.inner.encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self.inner.encode_passages(texts)


TEXTS = ["where is my parcel?", "je veux parler à quelqu'un", "where is my parcel?", "谢谢"]


def test_the_vectors_are_the_encoders_own_and_a_second_run_reads_them_back(
    tmp_path: Path,
) -> None:
    first = Counting(load_encoder(DEFAULT_ENCODER))
    vectors = StoredEncoder(first, tmp_path).encode(TEXTS)
    assert first.texts == 3  # the repeated text is encoded once
    np.testing.assert_allclose(vectors, first.inner.encode(TEXTS), atol=1e-6)

    second = Counting(load_encoder(DEFAULT_ENCODER))
    store = StoredEncoder(second, tmp_path)
    again = store.encode([*TEXTS, "a new message"])
    assert second.texts == 1  # only the new one
    assert store.stored == 4
    np.testing.assert_allclose(again[:4], vectors, atol=1e-6)
    assert store.path.name == f"{DEFAULT_ENCODER}.npz"
    assert not list(tmp_path.glob("*.partial.npz"))


def test_vectors_of_another_size_are_refused(tmp_path: Path) -> None:
    store = StoredEncoder(load_encoder(DEFAULT_ENCODER), tmp_path)
    store.encode(["hello"])
    keys = np.load(store.path)["keys"]
    np.savez(store.path, keys=keys, vectors=np.zeros((1, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="delete the file"):
        StoredEncoder(load_encoder(DEFAULT_ENCODER), tmp_path).encode(["something new"])


def test_a_damaged_file_says_what_to_do(tmp_path: Path) -> None:
    store = StoredEncoder(load_encoder(DEFAULT_ENCODER), tmp_path)
    np.savez(store.path, keys=np.array(["a", "b"]), vectors=np.zeros((1, 512), dtype=np.float32))
    with pytest.raises(ValueError, match="damaged; delete it"):
        store.encode(["hello"])
