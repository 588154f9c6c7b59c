"""Sentence vectors kept on disk between trainings, so a retrain encodes only what is new.

Training the signal heads encodes the whole corpus (about 17,500 messages) through each
encoder, and the set that reads parts of messages encodes it again: on two cores that is about
14 minutes for E5 alone. :class:`StoredEncoder` wraps an encoder and keeps every vector it
made in one file per encoder (``<folder>/<encoder>.npz``: the SHA-256 of each text and its
vector), so the next training reads them back and encodes only texts it has not seen. The
vectors are the wrapped encoder's own, so heads trained through the store are the heads
trained without it. Questions only: passages are passed through unstored.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tandem.nlu.encoder import SentenceEncoder

DEFAULT_FOLDER = Path.home() / ".cache" / "tandem" / "encodings"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoredEncoder:
    """An encoder whose vectors are read from and added to a file in ``folder``."""

    def __init__(self, inner: SentenceEncoder, folder: Path) -> None:
        self._inner = inner
        self.path = folder / f"{_UNSAFE.sub('_', inner.name)}.npz"
        self._rows: dict[str, int] | None = None
        self._vectors = np.zeros((0, 0), dtype=np.float32)

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def stored(self) -> int:
        """How many texts have a stored vector."""
        return len(self._index())

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return self._inner.encode(texts)
        rows = self._index()
        keys = [text_key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in rows}
        if missing:
            fresh = np.asarray(self._inner.encode(list(missing.values())), dtype=np.float32)
            if self._vectors.size and fresh.shape[1] != self._vectors.shape[1]:
                raise ValueError(
                    f"{self.path} holds vectors of {self._vectors.shape[1]} dimensions but "
                    f"{self.name} gives {fresh.shape[1]}; delete the file"
                )
            for key in missing:
                rows[key] = len(rows)
            self._vectors = np.vstack([self._vectors, fresh]) if self._vectors.size else fresh
            self._save()
        return self._vectors[[rows[k] for k in keys]]

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._inner.encode_passages(texts)

    def _index(self) -> dict[str, int]:
        if self._rows is None:
            self._rows = {}
            if self.path.is_file():
                with np.load(self.path) as stored:
                    keys, vectors = stored["keys"], stored["vectors"]
                if len(keys) != len(vectors):
                    raise ValueError(f"{self.path} is damaged; delete it")
                self._rows = {str(k): i for i, k in enumerate(keys)}
                self._vectors = np.asarray(vectors, dtype=np.float32)
        return self._rows

    def _save(self) -> None:
        """Write the file whole, then move it into place: a stopped training leaves no half."""
        rows = self._index()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(rows, key=rows.__getitem__))
        partial = self.path.with_suffix(".partial.npz")
        np.savez(partial, keys=keys, vectors=self._vectors)
        os.replace(partial, self.path)
