"""Which kind of secret a number is: a PIN the customer keeps, or a one-time code sent to them.

The code rules and the code model find a bare number that is a secret ("metto le sei cifre
620483 e si chiude", "just got a text: 551203"), but the number alone does not say whether the
customer chose it (an app's or a card's PIN, a password of digits) or received it (a one-time
code). The agent is told which was removed, so the difference matters. A logistic model reads
what the message says around the number: its sentence vector with the number masked (the same
vector the code model reads) and the words around it (hashed, as the code model's). It was
trained by ``tandem privacy train-pins`` on the numbers labelled password or code in the
labelled redaction sets; its weights are a JSON file (no pickle).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tandem.nlu.encoder import DEFAULT_ENCODER, load_encoder
from tandem.privacy.code_model import Span, context, meaning
from tandem.privacy.context_words import HASHED, hashed_scores
from tandem.privacy.lexicon import Folded

MODEL_PATH = Path(__file__).parent / "models" / "pins.json"
# A number of digits, in groups or not: what the model tells apart ("750318", "481 630").
NUMBER = re.compile(r"[0-9]+(?:[ \-][0-9]+)*")
# The classes are weighted to count the same, so an even chance is the boundary.
THRESHOLD = 0.5


@dataclass(frozen=True)
class PinModel:
    words: NDArray[np.float64]  # one weight per hashed column
    meaning: NDArray[np.float64]  # one weight per dimension of the encoder's sentence vector
    intercept: float
    threshold: float = THRESHOLD
    trained_on: str = ""
    encoder: str = DEFAULT_ENCODER

    def probability(self, texts: list[str], vectors: NDArray[np.float64]) -> NDArray[np.float64]:
        z = hashed_scores(texts, self.words) + vectors @ self.meaning + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "words": [round(float(w), 6) for w in self.words],
            "encoder": self.encoder,
            "meaning": [round(float(w), 6) for w in self.meaning],
            "intercept": self.intercept,
            "threshold": self.threshold,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PinModel:
        try:
            words = np.asarray(data["words"], dtype=np.float64)
            vector = np.asarray(data["meaning"], dtype=np.float64)
            model = cls(
                words,
                vector,
                float(data["intercept"]),
                float(data["threshold"]),
                str(data.get("trained_on", "")),
                str(data["encoder"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f"the PIN model is damaged ({error}); rebuild it with `tandem privacy train-pins`"
            ) from error
        if words.shape != (HASHED,) or vector.ndim != 1:
            raise ValueError(
                "the PIN model was trained on other features; rebuild it with "
                "`tandem privacy train-pins`"
            )
        return model


@cache
def load_pin_model(path: Path = MODEL_PATH) -> PinModel:
    return PinModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def kept(folded: Folded, spans: list[Span], model: PinModel) -> list[bool]:
    """Say, for each number (a span of the original text), whether the customer keeps it."""
    if not spans:
        return []
    vectors = meaning(load_encoder(model.encoder), folded, spans)
    if vectors.shape[1] != model.meaning.shape[0]:
        raise ValueError(
            f"the PIN model weighs {model.meaning.shape[0]} dimensions but {model.encoder} "
            f"gives {vectors.shape[1]}; rebuild it with `tandem privacy train-pins`"
        )
    probability = model.probability([context(folded, s) for s in spans], vectors)
    return [bool(p >= model.threshold) for p in probability]
