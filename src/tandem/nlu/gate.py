"""A gate over the reading: does a signal the heads read in a message need a person?

Some heads fire early on purpose (a missed request or an angry customer is trapped with the
bot), so they also fire where nobody needs a person. A gate is a logistic regression over what
the reading already holds (how far signals are past their thresholds, the form of the
message), trained on labelled conversations, and kept in the heads folder as a small JSON file
sealed with its checksum and the checksum of the heads it reads: heads retrained without it
cannot be read through a stale gate. ``tandem.nlu.emotion_gate`` and
``tandem.nlu.request_gate`` say what each gate reads.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tandem.core.logistic import LogisticWeights, WeightsError
from tandem.core.sealed import SealBrokenError, read_sealed, write_sealed
from tandem.nlu.heads import COMPANION, METADATA, PARTS, WEIGHTS, ArtefactError


class GateError(ArtefactError):
    """A gate file is damaged or belongs to other heads."""


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass(frozen=True, slots=True)
class Gate:
    weights: LogisticWeights
    threshold: float  # from this probability, the signal needs a person
    heads: str  # sha256 of the heads' weights whose scores it reads
    trained_on: str

    def probability(self, features: list[float]) -> float:
        return float(self.weights.probability(np.array([features], dtype=np.float64))[0])


@dataclass(frozen=True, slots=True)
class GateKind:
    """Where a gate lives in a heads folder, what it reads and how it is rebuilt."""

    name: str  # "emotion gate", for messages
    file: str
    features: tuple[str, ...]
    command: str  # the `tandem nlu` command that trains it


def save_gate(kind: GateKind, gate: Gate, folder: Path) -> str:
    """Write the gate into a heads folder as JSON with its checksum; return the checksum."""
    body = {
        "weights": gate.weights.as_json(),
        "threshold": gate.threshold,
        "heads": gate.heads,
        "trained_on": gate.trained_on,
    }
    return write_sealed(folder / kind.file, body, key="gate")


def heads_fingerprint(folder: Path) -> str:
    """Return one checksum of the weights of every set of heads in a heads folder."""
    digests = []
    for where in (folder, folder / PARTS, folder / COMPANION):
        meta = where / METADATA
        sha = json.loads(meta.read_text())["sha256"][WEIGHTS] if meta.is_file() else "-"
        digests.append(str(sha))
    return hashlib.sha256("+".join(digests).encode()).hexdigest()


def load_gate(kind: GateKind, folder: Path) -> Gate | None:
    """Read a gate of a heads folder (None when it has none); refuse a damaged or stale one.

    Call it once the heads themselves have loaded (their checksums are checked there).
    """
    path = folder / kind.file
    if not path.exists():
        return None
    rebuild = f"Rebuild it with `tandem nlu {kind.command}`."
    try:
        body = read_sealed(path, key="gate")
        gate = Gate(
            LogisticWeights.from_json(body["weights"]),
            float(body["threshold"]),
            str(body["heads"]),
            str(body["trained_on"]),
        )
    except SealBrokenError as error:
        raise GateError(f"The {kind.name} {path} does not match its checksum. {rebuild}") from error
    except (OSError, ValueError, KeyError, TypeError, WeightsError) as error:
        raise GateError(f"Cannot read the {kind.name} {path} ({error}). {rebuild}") from error
    if gate.weights.features != kind.features:
        raise GateError(f"The {kind.name} {path} reads other features. {rebuild}")
    if gate.heads != heads_fingerprint(folder):
        raise GateError(
            f"The {kind.name} {path} was trained over other signal heads than the ones beside "
            f"it. {rebuild}"
        )
    return gate
