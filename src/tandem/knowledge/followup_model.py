"""The follow-up model: does a message depend on the question before it?

"and to Serbia?", "is mustard one of them?" or "e tem tomada no camarote?" mean something only
with the question before them; "Do you sell garden sheds?" and "Which of those dates does the
return clock start from?" stand alone, however short, and must not be read as the previous
question narrowed. A logistic regression over the sentence vector of the message (the one the
knowledge index reads it through) and its length in words, trained by ``tandem kb
train-followups`` on the labelled questions of the invented help centres that ship with
Tandem (``knowledge/corpus/``); the weights are a small JSON file (no pickle).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tandem.core.logistic import LogisticWeights, WeightsError
from tandem.core.sealed import SealBrokenError, read_sealed, write_sealed

MODEL_PATH = Path(__file__).parent / "models" / "followups.json"


class FollowUpModelError(ValueError):
    """The follow-up model file is missing or damaged."""


@dataclass(frozen=True, slots=True)
class FollowUpModel:
    weights: LogisticWeights
    threshold: float  # from this probability, the message is read with the previous question
    encoder: str  # the vectors it was trained on: an index must read through the same encoder
    trained_on: str

    def probability(self, vector: NDArray[np.float32], text: str) -> float:
        """How likely ``text`` (read as ``vector``) depends on the question before it."""
        row = np.append(vector.astype(np.float64), features_of(text))[None, :]
        return float(self.weights.probability(row)[0])


def features_of(text: str) -> list[float]:
    """What the model reads besides the sentence vector: the length in words, on a log scale."""
    return [math.log1p(len(text.split()))]


def save(model: FollowUpModel, path: Path = MODEL_PATH) -> str:
    """Write the model as JSON with its checksum; return the checksum."""
    body = {
        "weights": model.weights.as_json(),
        "threshold": model.threshold,
        "encoder": model.encoder,
        "trained_on": model.trained_on,
    }
    return write_sealed(path, body)


def read(path: Path) -> FollowUpModel:
    """Read a model written by :func:`save`; refuse one whose checksum does not match."""
    rebuild = "Rebuild it with `tandem kb train-followups`."
    try:
        body = read_sealed(path)
        return FollowUpModel(
            LogisticWeights.from_json(body["weights"]),
            float(body["threshold"]),
            str(body["encoder"]),
            str(body["trained_on"]),
        )
    except SealBrokenError as error:
        raise FollowUpModelError(
            f"The follow-up model {path} does not match its checksum. {rebuild}"
        ) from error
    except (OSError, ValueError, KeyError, TypeError, WeightsError) as error:
        raise FollowUpModelError(
            f"Cannot read the follow-up model {path} ({error}). {rebuild}"
        ) from error


@lru_cache(maxsize=1)
def load_followup_model() -> FollowUpModel:
    return read(MODEL_PATH)
