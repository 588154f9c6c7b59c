"""Whether a message asks something of the bot or only tells it something.

A customer who gives the bot what it asked for ("it's 680 with the frame and the mattress"),
adds context ("I live in Liège") or closes a point ("ok 29 euros, fair enough") has not asked
a question the bot failed to answer. Counting such a turn as a miss handed routine
conversations to a person as "repeated failure". A logistic model over the vectors of the whole
message from both sentence encoders the reader already runs (USE and E5, side by side) tells
the two apart in every language they read; it is trained by ``tandem nlu train-acts`` on
``acts_corpus/`` (messages written for Tandem) and its weights are a JSON file (no pickle). A
question mark says "asks" by itself, so the model learns from messages without one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tandem.core.logistic import LogisticWeights, WeightsError

MODEL_PATH = Path(__file__).parent / "models" / "acts.json"
QUESTION_MARKS = re.compile(r"[?？¿]")


class ActsModelError(ValueError):
    """Raised when the acts model file is missing pieces."""


@dataclass(frozen=True)
class ActsModel:
    """P(the message asks something) from the encoders' vectors of the whole message, joined."""

    encoders: tuple[str, ...]
    weights: LogisticWeights
    threshold: float  # at or above: the message asks
    trained_on: str = ""

    def probability(self, vectors: NDArray[np.float32]) -> NDArray[np.float32]:
        return self.weights.probability(vectors.astype(np.float64))

    def asks(self, vectors: Mapping[str, NDArray[np.float32]]) -> bool:
        """Read one message from its vector by each encoder (name -> vector)."""
        joined = np.concatenate([vectors[name].reshape(-1) for name in self.encoders])
        return bool(self.probability(joined.reshape(1, -1))[0] >= self.threshold)

    def to_json(self) -> dict[str, Any]:
        return {
            "encoders": list(self.encoders),
            "weights": self.weights.as_json(),
            "threshold": self.threshold,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActsModel:
        try:
            weights = LogisticWeights.from_json(data["weights"])
            return cls(
                tuple(str(name) for name in data["encoders"]),
                weights,
                float(data["threshold"]),
                str(data.get("trained_on", "")),
            )
        except (WeightsError, KeyError, TypeError, ValueError) as error:
            raise ActsModelError(
                f"the acts model is damaged ({error}); rebuild it with `tandem nlu train-acts`"
            ) from error


@cache
def load_acts_model(path: Path = MODEL_PATH) -> ActsModel | None:
    """Return the shipped model, or None when the file is absent (then the word count rules)."""
    if not path.is_file():
        return None
    return ActsModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def without_question_marks(text: str) -> str:
    """The text the model reads: a question mark already says "asks" on its own."""
    return QUESTION_MARKS.sub(" ", text).strip()
