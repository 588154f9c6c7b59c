"""Build the code model from labelled redaction sets (``tandem privacy train-codes``).

Every code-shaped run of a message is a row: a one-time code when it overlaps a labelled code;
runs inside another kind of secret are left out. Before the final fit each set is held out in
turn, and the command prints what the rules alone and the rules with the model find in it, and
the messages where the model alone removes something unlabelled. Deterministic.
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
from tandem.core.logistic import LogisticWeights
from tandem.nlu.encoder import DEFAULT_ENCODER, load_encoder
from tandem.privacy import labelled
from tandem.privacy.code_model import (
    FEATURES,
    CodeModel,
    candidates,
    context,
    features,
    meaning,
)
from tandem.privacy.context_words import HASHED, hashed
from tandem.privacy.labelled import Message, Progress, Span, overlaps, read_sets
from tandem.privacy.lexicon import Folded, load_lexicon
from tandem.privacy.redaction import SecretKind

THRESHOLD = 0.8  # chosen holding out each set in turn: the fewest messages falsely redacted
CODE_WEIGHT = 2.0
C = 10.0  # chosen holding out each studied set in turn (v1 to v14): 1, 3, 10, 30, 100 tried


@dataclass
class LabelledSet:
    name: str
    messages: list[Message]
    matrix: NDArray[np.float64]
    texts: list[str]
    vectors: NDArray[np.float64]
    labels: NDArray[np.int64]
    rows: list[tuple[int, Span]]


def gather(name: str, messages: list[Message]) -> LabelledSet:
    lexicon = load_lexicon()
    model = load_encoder(DEFAULT_ENCODER)
    matrix, texts, vectors, labels, rows = [], [], [], [], []
    for index, message in enumerate(messages):
        folded = Folded.of(message.text)
        spans = [s for s in candidates(folded, lexicon) if not overlaps(s, message.others)]
        if not spans:
            continue
        vectors.append(meaning(model, folded, spans))
        for span in spans:
            matrix.append(features(folded, lexicon, span))
            texts.append(context(folded, span))
            labels.append(int(overlaps(span, message.secrets)))
            rows.append((index, span))
    return LabelledSet(
        name,
        messages,
        np.array(matrix, dtype=np.float64).reshape(-1, len(FEATURES)),
        texts,
        np.vstack(vectors) if vectors else np.zeros((0, 0)),
        np.array(labels, dtype=np.int64),
        rows,
    )


def fit(sets: Sequence[LabelledSet], *, trained_on: str = "") -> CodeModel:
    x = np.vstack([s.matrix for s in sets])
    texts = [t for s in sets for t in s.texts]
    y = np.concatenate([s.labels for s in sets])
    if y.size == 0 or y.min() == y.max():
        raise InvalidInputError(
            "the labelled sets need both codes and look-alikes (code-shaped numbers that are "
            "not codes) to learn the difference"
        )
    vectors = np.vstack([s.vectors for s in sets if s.rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    columns = [sparse.csr_matrix((x - mean) / scale), hashed(texts), sparse.csr_matrix(vectors)]
    model = LogisticRegression(C=C, max_iter=5000, class_weight={0: 1.0, 1: CODE_WEIGHT})
    model.fit(sparse.hstack(columns).tocsr(), y)
    coefficients = model.coef_[0].astype(np.float64)
    shape = LogisticWeights(
        FEATURES, mean, scale, coefficients[: len(FEATURES)], float(model.intercept_[0])
    )
    words = coefficients[len(FEATURES) : len(FEATURES) + HASHED]
    return CodeModel(
        shape, words, coefficients[len(FEATURES) + HASHED :], THRESHOLD, trained_on, DEFAULT_ENCODER
    )


def held_out_line(held: LabelledSet, model: CodeModel) -> str:
    """What the rules find in ``held``, what they find with the model, and its false alarms."""
    probability = (
        model.probability(held.matrix, held.texts, held.vectors) if held.rows else np.zeros(0)
    )
    chosen = labelled.spans_above(held.rows, probability.tolist(), model.threshold)
    return labelled.held_out_line(held.name, held.messages, chosen, SecretKind.CODE)


def train(paths: Sequence[Path], *, progress: Progress = print) -> CodeModel:
    """Hold out each set in turn (printing its figures), then fit on them all."""
    sets = [gather(name, messages) for name, messages in read_sets(paths, kind="code")]
    return labelled.hold_out_each_then_fit(
        sets, fit, held_out_line, noun="codes", progress=progress
    )
