"""A second reading of plain words a message may give as its password.

The password model (:mod:`tandem.privacy.password_model`) reads a word from its shape and the
words around it. A password of plain letters told indirectly ("my grandson wrote marmalade on
an envelope and said that gets me in") has no shape to go on, and the words around it vary
too much for hashed context to learn, so such words score below the model's threshold. Each
plain word the password model scores from ``LOW`` up to its threshold is read again here: a
logistic model over the sentence vector of the message with the word masked (what the message
says about the word, in any language the encoder reads), the password model's log-odds for the
word, and its log-odds for the likeliest other word of the message (the rival: in "told me to
type buttercup at Christmas" the sentence says a password is there, and the rival says which
word the password model leans to). It
was trained by ``tandem privacy train-plain-words`` on the labelled redaction sets and the
written corpus (``corpus/``), with the password model's probabilities held out set by set;
its weights are a JSON file (no pickle).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tandem.nlu.encoder import DEFAULT_ENCODER, load_encoder
from tandem.privacy.code_model import meaning
from tandem.privacy.lexicon import Folded
from tandem.privacy.password_model import Word

MODEL_PATH = Path(__file__).parent / "models" / "plain_words.json"
# Chosen holding out each studied set in turn (v1 to v22 and the written corpus, 9,779
# messages): from 0.05 a plain word is read again; at 0.8, 76 of the 161 passwords among those
# words were found for 29 messages falsely redacted (0.9: 49 for 13; 0.7: 91 for 57; without the
# rival's log-odds, at 0.8: 61 for 27; the thresholds and the run without the rival were
# compared by a one-off script, the 0.8 figures are what `train-plain-words` prints by set).
LOW = 0.05
THRESHOLD = 0.8


def is_plain(word: str) -> bool:
    """Letters alone: a word with no shape of a password to go on."""
    return word.isalpha()


@dataclass(frozen=True)
class PlainWordModel:
    meaning: NDArray[np.float64]  # one weight per dimension of the masked sentence vector
    first: float  # the weight of the password model's log-odds
    rival: float  # the weight of its log-odds for the likeliest other word of the message
    intercept: float
    low: float = LOW
    threshold: float = THRESHOLD
    trained_on: str = ""
    encoder: str = DEFAULT_ENCODER

    def probability(
        self, vectors: NDArray[np.float64], first: NDArray[np.float64], rival: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        z = vectors @ self.meaning + self.first * log_odds(first) + self.rival * log_odds(rival)
        z = z + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "encoder": self.encoder,
            "meaning": [round(float(w), 6) for w in self.meaning],
            "first": self.first,
            "rival": self.rival,
            "intercept": self.intercept,
            "low": self.low,
            "threshold": self.threshold,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlainWordModel:
        try:
            vector = np.asarray(data["meaning"], dtype=np.float64)
            model = cls(
                vector,
                float(data["first"]),
                float(data["rival"]),
                float(data["intercept"]),
                float(data["low"]),
                float(data["threshold"]),
                str(data.get("trained_on", "")),
                str(data["encoder"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f"the plain-word model is damaged ({error}); rebuild it with "
                "`tandem privacy train-plain-words`"
            ) from error
        if vector.ndim != 1:
            raise ValueError(
                "the plain-word model was trained on other features; rebuild it with "
                "`tandem privacy train-plain-words`"
            )
        return model


def log_odds(probability: NDArray[np.float64]) -> NDArray[np.float64]:
    clipped = np.clip(probability, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(clipped / (1 - clipped)), dtype=np.float64)


@cache
def load_plain_word_model(path: Path = MODEL_PATH) -> PlainWordModel:
    return PlainWordModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def in_band(scored: list[tuple[Word, float]], low: float, high: float) -> list[tuple[Word, float]]:
    """The plain words the password model scored from ``low`` up to (not at) ``high``."""
    return [(w, p) for w, p in scored if is_plain(w.text) and low <= p < high]


def rivals(scored: list[tuple[Word, float]], band: list[tuple[Word, float]]) -> NDArray[np.float64]:
    """For each word of ``band``, the highest probability among the message's other words."""
    return np.array(
        [max((p for w, p in scored if w != word), default=0.0) for word, _ in band],
        dtype=np.float64,
    )


def reread(
    folded: Folded, scored: list[tuple[Word, float]], first_threshold: float, model: PlainWordModel
) -> list[Word]:
    """The plain words among the password model's ``scored`` words read as passwords here."""
    band = in_band(scored, model.low, first_threshold)
    if not band:
        return []
    vectors = meaning(load_encoder(model.encoder), folded, [(w.start, w.end) for w, _ in band])
    if vectors.shape[1] != model.meaning.shape[0]:
        raise ValueError(
            f"the plain-word model weighs {model.meaning.shape[0]} dimensions but "
            f"{model.encoder} gives {vectors.shape[1]}; rebuild it with "
            "`tandem privacy train-plain-words`"
        )
    first = np.array([p for _, p in band], dtype=np.float64)
    probability = model.probability(vectors, first, rivals(scored, band))
    return [w for (w, _), q in zip(band, probability.tolist(), strict=True) if q >= model.threshold]
