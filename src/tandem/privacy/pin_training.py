"""Build the PIN model from labelled redaction sets (``tandem privacy train-pins``).

Every number of digits labelled a password (a PIN the customer keeps) or a one-time code is a
row. Before the final fit each set is held out in turn, and the command prints how many of its
PINs and codes the model tells apart. Deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from tandem.core.errors import InvalidInputError
from tandem.nlu.encoder import DEFAULT_ENCODER, load_encoder
from tandem.privacy import labelled
from tandem.privacy.code_model import context, meaning
from tandem.privacy.context_words import HASHED, hashed
from tandem.privacy.labelled import Message, Progress, read_sets
from tandem.privacy.lexicon import Folded
from tandem.privacy.pin_model import NUMBER, THRESHOLD, PinModel

C = 1.0  # 0.1 to 10 compared holding out each studied set in turn (v1 to v16)


@dataclass
class LabelledSet:
    name: str
    messages: list[Message]
    texts: list[str]
    vectors: NDArray[np.float64]
    labels: NDArray[np.int64]  # 1: a PIN the customer keeps, 0: a one-time code


def gather(name: str, pins: list[Message], codes: list[Message]) -> LabelledSet:
    """The set's numbers labelled a password (``pins``) or a code (``codes``: the same messages,
    read for that kind)."""
    model = load_encoder(DEFAULT_ENCODER)
    texts: list[str] = []
    vectors: list[NDArray[np.float64]] = []
    labels: list[int] = []
    for as_pins, as_codes in zip(pins, codes, strict=True):
        folded = Folded.of(as_pins.text)
        rows = [
            (span, label)
            for label, spans in ((1, as_pins.secrets), (0, as_codes.secrets))
            for span in spans
            if NUMBER.fullmatch(as_pins.text[span[0] : span[1]])
        ]
        if not rows:
            continue
        vectors.append(meaning(model, folded, [span for span, _ in rows]))
        texts += [context(folded, span) for span, _ in rows]
        labels += [label for _, label in rows]
    return LabelledSet(
        name,
        pins,
        texts,
        np.vstack(vectors) if vectors else np.zeros((0, 0)),
        np.array(labels, dtype=np.int64),
    )


def fit(sets: Sequence[LabelledSet], *, trained_on: str = "") -> PinModel:
    texts = [t for s in sets for t in s.texts]
    y = np.concatenate([s.labels for s in sets])
    if y.size == 0 or y.min() == y.max():
        raise InvalidInputError(
            "the labelled sets need numbers labelled password (PINs) and numbers labelled "
            "code to learn the difference"
        )
    vectors = np.vstack([s.vectors for s in sets if s.texts])
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(sparse.hstack([hashed(texts), sparse.csr_matrix(vectors)]).tocsr(), y)
    coefficients = model.coef_[0].astype(np.float64)
    return PinModel(
        coefficients[:HASHED],
        coefficients[HASHED:],
        float(model.intercept_[0]),
        THRESHOLD,
        trained_on,
        DEFAULT_ENCODER,
    )


def held_out_line(held: LabelledSet, model: PinModel) -> str:
    """How many of the held-out set's PINs and codes the model reads as kept."""
    if not held.texts:
        return f"held out {held.name}: no numbers labelled password or code"
    kept = model.probability(held.texts, held.vectors) >= model.threshold
    pins = held.labels == 1
    return (
        f"held out {held.name}: PINs read as kept {int(np.sum(kept & pins))}/{int(pins.sum())}, "
        f"codes read as kept {int(np.sum(kept & ~pins))}/{int((~pins).sum())}"
    )


def train(paths: Sequence[Path], *, progress: Progress = print) -> PinModel:
    """Hold out each set in turn (printing its figures), then fit on them all."""
    sets = [
        gather(name, pins, codes)
        for (name, pins), (_, codes) in zip(
            read_sets(paths, kind="password"), read_sets(paths, kind="code"), strict=True
        )
    ]
    return labelled.hold_out_each_then_fit(sets, fit, held_out_line, noun="PINs", progress=progress)
