"""The signal heads: calibrated multi-label classifiers over the sentence encoder.

The signals share one small neural network (a hidden layer of rectified units, then one
logistic output per signal) on the message's sentence embedding, so a head learnt mostly from
English reads Spanish or Chinese too. The tone head (a negative feeling, for the emotional
load) is a logistic regression on the same embedding, learnt from GoEmotions. A Platt scaling
fitted on cross-validated scores turns each output into a probability, and each signal fires
at its own threshold, chosen by cross-validation. The artefact is plain JSON and NumPy,
checksummed, no pickle; ``tandem nlu train-signals`` builds it from ``nlu/corpus/``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

FORMAT = 2
WEIGHTS = "heads.npz"
METADATA = "heads.json"
SHIPPED = Path(__file__).parent / "models" / "signals"
PARTS = "parts"  # the subfolder of the heads that read a message's sentences and clauses
# The subfolder of a second set of message heads that reads whole messages through another
# encoder; the reader blends both sets' scores (``tandem.nlu.reading``).
COMPANION = "companion"


class Signal(StrEnum):
    HUMAN_REQUEST = "human_request"
    ANGER = "anger"
    DISTRESS = "distress"
    COMPLAINT = "complaint"
    ABUSE = "abuse"
    SELF_HARM = "self_harm"
    BEREAVEMENT = "bereavement"
    VULNERABILITY = "vulnerability"
    HEALTH = "health"
    FRAUD = "fraud"
    LEGAL = "legal"
    ADVERSE_REQUEST = "adverse_request"
    ORDER_PROBLEM = "order_problem"
    NOT_HELPED = "not_helped"
    SMALL_TALK = "small_talk"
    NEGATIVE = "negative"  # general negative feeling (GoEmotions), for the emotional load


SENSITIVE = (
    Signal.SELF_HARM,
    Signal.BEREAVEMENT,
    Signal.VULNERABILITY,
    Signal.HEALTH,
    Signal.FRAUD,
    Signal.LEGAL,
)
EMOTIONS = (Signal.ANGER, Signal.DISTRESS, Signal.COMPLAINT, Signal.ABUSE)


class ArtefactError(ValueError):
    """Raised when a heads folder is missing, incomplete or altered."""


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def prepare(text: str) -> str:
    """Return text with e-mail addresses and links replaced by one of each.

    What a customer's address or a link says is no signal, and an unusual one ("SAM.TAYLOR@
    EXAMPLE.COM") must not move a score; training and reading both see the placeholders.
    """
    return _URL.sub("https://example.com", EMAIL.sub("name@example.com", text))


@dataclass(frozen=True)
class Heads:
    """Trained heads: a shared hidden layer, one output per signal, then Platt scaling."""

    labels: tuple[Signal, ...]
    encoder: str
    hidden: NDArray[np.float32]  # (dim, units)
    hidden_bias: NDArray[np.float32]  # (units,)
    out: NDArray[np.float32]  # (units, labels); the tone column is zero
    out_bias: NDArray[np.float32]  # (labels,)
    direct: NDArray[np.float32]  # (dim, labels): the embedding's direct weights (tone only)
    platt: NDArray[np.float32]  # (2, labels): slope and intercept
    thresholds: NDArray[np.float32]  # (labels,)
    metadata: dict[str, Any] = field(default_factory=dict)  # JSON from the artefact

    def probabilities(self, embeddings: NDArray[np.float32]) -> NDArray[np.float32]:
        """Return calibrated probabilities, one row per embedding, one column per label.

        ``embeddings`` are of the texts as ``prepare`` returns them.
        """
        hidden = np.maximum(embeddings @ self.hidden + self.hidden_bias, 0.0)
        raw = hidden @ self.out + embeddings @ self.direct + self.out_bias
        calibrated = 1.0 / (1.0 + np.exp(-(raw * self.platt[0] + self.platt[1])))
        return np.asarray(calibrated, dtype=np.float32)

    def threshold(self, signal: Signal) -> float:
        return float(self.thresholds[self.labels.index(signal)])


_ARRAYS = ("hidden", "hidden_bias", "out", "out_bias", "direct", "platt", "thresholds")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_heads(heads: Heads, folder: Path) -> None:
    """Write the heads to folder: weights in NumPy's format, the rest as JSON with checksums."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = folder / WEIGHTS
    np.savez_compressed(weights, **{name: getattr(heads, name) for name in _ARRAYS})
    meta = {
        **heads.metadata,
        "format": FORMAT,
        "labels": [s.value for s in heads.labels],
        "encoder": heads.encoder,
        "sha256": {WEIGHTS: _digest(weights)},
    }
    (folder / METADATA).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")


def load_heads(folder: Path = SHIPPED) -> Heads:
    """Load heads written by ``save_heads``, refusing a folder whose weights were altered."""
    meta_path, weights = folder / METADATA, folder / WEIGHTS
    if not meta_path.is_file() or not weights.is_file():
        raise ArtefactError(
            f"{folder} holds no signal heads; build them with `tandem nlu train-signals`"
        )
    meta = json.loads(meta_path.read_text())
    if meta.get("format") != FORMAT:
        raise ArtefactError(f"{folder} was written by another version; retrain the heads")
    if meta.get("sha256", {}).get(WEIGHTS) != _digest(weights):
        raise ArtefactError(f"{weights} does not match its checksum; retrain the heads")
    with np.load(weights, allow_pickle=False) as data:
        arrays = {name: data[name].astype(np.float32) for name in _ARRAYS}
    return Heads(
        labels=tuple(Signal(label) for label in meta["labels"]),
        encoder=str(meta["encoder"]),
        metadata=meta,
        **arrays,
    )
