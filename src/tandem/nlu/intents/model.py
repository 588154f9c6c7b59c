"""A trained intent model: scores a message, calibrates, and answers an intent or out of scope.

Two heads score every intent: a linear model over TF-IDF features (always) and, in the
embeddings mode, a linear model over sentence embeddings. Their temperature-scaled scores are
blended with weights chosen on held-out data. If the embeddings head cannot run (its extra is
not installed where the model is loaded, or the encoder fails), the model falls back to the
TF-IDF head with its own calibration: it degrades, it does not crash.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from tandem.nlu.intents.calibration import FloatArray, softmax, top_in_scope
from tandem.nlu.intents.encoders import SentenceEncoder
from tandem.nlu.intents.features import TextFeatures, prepare

logger = logging.getLogger(__name__)
MAX_ALTERNATIVES = 3


@dataclass(frozen=True, slots=True)
class IntentPrediction:
    """What a message asks for, how sure the model is, and why.

    ``intent`` is None exactly when ``out_of_scope`` is true. ``alternatives`` are the next
    best intents (the best ones when out of scope), useful for a clarifying question.
    """

    intent: str | None
    confidence: float
    out_of_scope: bool
    alternatives: list[tuple[str, float]]
    reason: str


@dataclass(frozen=True, slots=True)
class LinearScorer:
    """Per-class linear scores: ``features @ weights + intercept``.

    The weights are stored features-by-classes, C-contiguous: a sparse row times them is a
    few thousand multiply-adds, where the transposed view of a classes-by-features matrix
    would be copied whole on every call (12 ms for 150 classes and 80,000 n-grams).
    """

    weights: NDArray[np.float32]  # (features, classes)
    intercept: NDArray[np.float32]  # (classes,)

    def scores(self, features: sp.csr_matrix | NDArray[np.float32]) -> FloatArray:
        return np.asarray(features @ self.weights + self.intercept, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Calibration:
    """How head scores become probabilities, and the out-of-scope threshold on them.

    ``logits = sum(weight * scores / head_temperature) / temperature`` over the heads used.
    """

    head_temperatures: tuple[float, ...]
    head_weights: tuple[float, ...]
    temperature: float
    threshold: float
    rule: str

    def probabilities(self, head_scores: Sequence[FloatArray]) -> FloatArray:
        heads = zip(self.head_weights, head_scores, self.head_temperatures, strict=True)
        logits = sum((w * s / t for w, s, t in heads), start=np.zeros_like(head_scores[0]))
        return softmax(logits / self.temperature)


@dataclass(slots=True)
class IntentModel:
    """Predict intents; built by ``training.train`` or ``artefact.load_model``."""

    labels: tuple[str, ...]  # the classes, in score-column order; may include oos_label
    oos_label: str
    features: TextFeatures
    text_scorer: LinearScorer
    text_calibration: Calibration
    embedding_scorer: LinearScorer | None = None
    blend_calibration: Calibration | None = None
    encoder: SentenceEncoder | None = None
    info: dict[str, object] = field(default_factory=dict)  # metadata, see artefact.py
    degraded: str | None = None  # why the model runs below its trained mode, if it does

    @property
    def intents(self) -> list[str]:
        return [label for label in self.labels if label != self.oos_label]

    @property
    def mode(self) -> str:
        """Return "embeddings" when both heads run, else "light"."""
        return "embeddings" if self._blending else "light"

    @property
    def threshold(self) -> float:
        return self._calibration.threshold

    @property
    def _blending(self) -> bool:
        return self.embedding_scorer is not None and self.encoder is not None

    @property
    def _calibration(self) -> Calibration:
        if self._blending and self.blend_calibration is not None:
            return self.blend_calibration
        return self.text_calibration

    @property
    def _oos_index(self) -> int | None:
        return self.labels.index(self.oos_label) if self.oos_label in self.labels else None

    def predict(self, text: str) -> IntentPrediction:
        """Return the intent of one message, or out of scope with the closest intents."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[IntentPrediction]:
        """Return one prediction per message, scoring them as one batch."""
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        return [self._decide(text, row) for text, row in zip(texts, probabilities, strict=True)]

    def probabilities(self, texts: Sequence[str]) -> FloatArray:
        """Return calibrated class probabilities, one row per text, columns in ``labels`` order."""
        head_scores = [
            self.text_scorer.scores(self.features.transform([prepare(t) for t in texts]))
        ]
        calibration = self.text_calibration
        if self._blending and self.blend_calibration is not None:
            embedded = self._embedding_scores(texts)
            if embedded is not None:
                head_scores.append(embedded)
                calibration = self.blend_calibration
        return calibration.probabilities(head_scores)

    def _embedding_scores(self, texts: Sequence[str]) -> FloatArray | None:
        assert self.encoder is not None
        assert self.embedding_scorer is not None
        try:
            vectors = self.encoder.encode(texts)
        except Exception:  # the encoder is third-party code: fall back, never fail a turn
            logger.exception("sentence encoder failed; using the TF-IDF model alone")
            return None
        return self.embedding_scorer.scores(vectors)

    def _decide(self, text: str, row: FloatArray) -> IntentPrediction:
        matrix = row[np.newaxis, :]
        oos_index = self._oos_index
        best, confidence, oos_wins = top_in_scope(matrix, oos_index)
        score = round(float(confidence[0]), 4)
        ranked = [
            (self.labels[i], round(float(row[i]), 4))
            for i in np.argsort(-row, kind="stable")
            if i != oos_index
        ][: MAX_ALTERNATIVES + 1]
        threshold = self._calibration.threshold
        if not text.strip():
            return IntentPrediction(None, 0.0, True, [], "empty message")
        if oos_wins[0]:
            reason = f"closest to the out-of-scope examples ({float(row.max()):.2f})"
            return IntentPrediction(None, score, True, ranked[:MAX_ALTERNATIVES], reason)
        if score < threshold:
            reason = f"confidence {score:.2f} is below the calibrated threshold {threshold:.2f}"
            return IntentPrediction(None, score, True, ranked[:MAX_ALTERNATIVES], reason)
        intent = self.labels[int(best[0])]
        reason = f"{intent} with confidence {score:.2f} (threshold {threshold:.2f})"
        return IntentPrediction(intent, score, False, ranked[1:], reason)
