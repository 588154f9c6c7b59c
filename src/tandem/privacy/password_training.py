"""Build the password model from labelled redaction sets (``tandem privacy train-passwords``).

Each set is a JSONL file of messages with their secrets' spans (the format of
``benchmarks/data/redaction_v2/``). Every candidate word is a row: a password when it overlaps a
labelled password span; words inside another kind of secret are left out (cards and codes are
found by their own rules). Before the final fit each set is held out in turn, and the command
prints what the rules alone and the rules with the model find in it, and the messages where
the model alone removes something unlabelled. Deterministic for the same files.
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
from tandem.privacy import labelled
from tandem.privacy.context_words import hashed
from tandem.privacy.labelled import Message, Progress, Span, overlaps, read_sets
from tandem.privacy.lexicon import Folded, load_lexicon
from tandem.privacy.password_model import (
    FEATURES,
    PasswordModel,
    candidates,
    context,
    features,
)
from tandem.privacy.redaction import SecretKind

THRESHOLD = 0.7  # chosen holding out each studied set in turn: no message falsely redacted
PASSWORD_WEIGHT = 5.0  # a missed password costs more than a word scored too high
C = 10.0  # chosen holding out each studied set in turn (v1 to v14): 1, 3, 10, 30, 100 tried


@dataclass
class LabelledSet:
    name: str
    messages: list[Message]
    matrix: NDArray[np.float64]
    texts: list[str]
    labels: NDArray[np.int64]
    rows: list[tuple[int, Span]]  # the message (index) and the word's span of each row


def gather(name: str, messages: list[Message]) -> LabelledSet:
    lexicon = load_lexicon()
    matrix, texts, labels, rows = [], [], [], []
    for index, message in enumerate(messages):
        folded = Folded.of(message.text)
        for word in candidates(folded, lexicon):
            span = (word.start, word.end)
            if overlaps(span, message.others):
                continue
            matrix.append(features(folded, lexicon, word))
            texts.append(context(folded, word))
            labels.append(int(overlaps(span, message.secrets)))
            rows.append((index, span))
    return LabelledSet(
        name,
        messages,
        np.array(matrix, dtype=np.float64).reshape(-1, len(FEATURES)),
        texts,
        np.array(labels, dtype=np.int64),
        rows,
    )


def fit(sets: Sequence[LabelledSet], *, trained_on: str = "") -> PasswordModel:
    x = np.vstack([s.matrix for s in sets])
    texts = [t for s in sets for t in s.texts]
    y = np.concatenate([s.labels for s in sets])
    if y.size == 0 or y.min() == y.max():
        raise InvalidInputError(
            "the labelled sets need both passwords and other words to learn the difference"
        )
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=C, max_iter=5000, class_weight={0: 1.0, 1: PASSWORD_WEIGHT})
    design = sparse.hstack([sparse.csr_matrix((x - mean) / scale), hashed(texts)]).tocsr()
    model.fit(design, y)
    coefficients = model.coef_[0].astype(np.float64)
    weights = LogisticWeights(
        FEATURES, mean, scale, coefficients[: len(FEATURES)], float(model.intercept_[0])
    )
    return PasswordModel(weights, coefficients[len(FEATURES) :], THRESHOLD, trained_on)


def held_out_line(held: LabelledSet, model: PasswordModel) -> str:
    """What the rules find in ``held``, what they find with the model, and its false alarms."""
    probability = model.probability(held.matrix, held.texts) if held.rows else np.zeros(0)
    chosen = labelled.spans_above(held.rows, probability.tolist(), model.threshold)
    return labelled.held_out_line(held.name, held.messages, chosen, SecretKind.PASSWORD)


def train(paths: Sequence[Path], *, progress: Progress = print) -> PasswordModel:
    """Hold out each set in turn (printing its figures), then fit on them all."""
    sets = [gather(name, messages) for name, messages in read_sets(paths, kind="password")]
    return labelled.hold_out_each_then_fit(
        sets, fit, held_out_line, noun="passwords", progress=progress
    )
