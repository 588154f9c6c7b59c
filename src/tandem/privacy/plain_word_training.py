"""Build the plain-word model from labelled sets (``tandem privacy train-plain-words``).

Its rows are the plain words (letters alone) the password model scores from ``LOW`` up to its
threshold, with that probability held out: for each set, the password model is fitted on the
other sets and scores this one's words, so the rows look as they will on unseen messages. Each
row is labelled a password when it overlaps a labelled password span. Before the final fit each
set is held out in turn again, and the command prints how many of its passwords among those
words the model finds, and in how many messages it finds one that is not. Deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from tandem.core.errors import InvalidInputError
from tandem.nlu.encoder import DEFAULT_ENCODER, load_encoder
from tandem.privacy import labelled, password_training
from tandem.privacy.code_model import meaning
from tandem.privacy.labelled import Message, Progress, read_sets
from tandem.privacy.lexicon import Folded
from tandem.privacy.password_model import Word
from tandem.privacy.plain_word_model import (
    LOW,
    THRESHOLD,
    PlainWordModel,
    in_band,
    log_odds,
    rivals,
)

C = 1.0  # 0.3 and 1 compared holding out each studied set in turn (v1 to v22, corpus)


@dataclass
class LabelledSet:
    name: str
    messages: list[Message]
    vectors: NDArray[np.float64]  # the masked sentence vector of each row
    first: NDArray[np.float64]  # the password model's held-out probability of each row
    rival: NDArray[np.float64]  # its probability for the likeliest other word of the message
    labels: NDArray[np.int64]
    message_of: NDArray[np.int64]  # the message (index) of each row


def gather_all(paths: Sequence[Path], *, progress: Progress) -> list[LabelledSet]:
    """Every set's rows, each scored by a password model that did not learn from its set."""
    sets = [
        password_training.gather(name, messages)
        for name, messages in read_sets(paths, kind="password")
    ]
    encoder = load_encoder(DEFAULT_ENCODER)
    gathered = []
    for held in sets:
        first_model = password_training.fit([s for s in sets if s is not held])
        probability = first_model.probability(held.matrix, held.texts) if held.rows else np.zeros(0)
        scored: dict[int, list[tuple[Word, float]]] = {}
        for (index, span), p in zip(held.rows, probability, strict=True):
            text = held.messages[index].text
            scored.setdefault(index, []).append((Word(*span, text[span[0] : span[1]]), float(p)))
        vectors, first, rival, labels, message_of = [], [], [], [], []
        for (index, span), p, label in zip(held.rows, probability, held.labels, strict=True):
            text = held.messages[index].text
            word = Word(span[0], span[1], text[span[0] : span[1]])
            band = in_band([(word, float(p))], LOW, first_model.threshold)
            if not band:
                continue
            vectors.append(meaning(encoder, Folded.of(text), [span])[0])
            first.append(float(p))
            rival.append(float(rivals(scored[index], band)[0]))
            labels.append(int(label))
            message_of.append(index)
        progress(f"{held.name}: {len(labels)} plain words to read again, {sum(labels)} passwords")
        gathered.append(
            LabelledSet(
                held.name,
                held.messages,
                np.vstack(vectors) if vectors else np.zeros((0, 0)),
                np.array(first, dtype=np.float64),
                np.array(rival, dtype=np.float64),
                np.array(labels, dtype=np.int64),
                np.array(message_of, dtype=np.int64),
            )
        )
    return gathered


def _design(s: LabelledSet) -> NDArray[np.float64]:
    return np.hstack([s.vectors, log_odds(s.first)[:, None], log_odds(s.rival)[:, None]])


def fit(sets: Sequence[LabelledSet], *, trained_on: str = "") -> PlainWordModel:
    used = [s for s in sets if s.labels.size]
    y = np.concatenate([s.labels for s in used]) if used else np.zeros(0, dtype=np.int64)
    if y.size == 0 or y.min() == y.max():
        raise InvalidInputError(
            "the labelled sets need plain-word passwords and other plain words the password "
            "model is unsure of, to learn the difference"
        )
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(np.vstack([_design(s) for s in used]), y)
    coefficients = model.coef_[0].astype(np.float64)
    return PlainWordModel(
        coefficients[:-2],
        float(coefficients[-2]),
        float(coefficients[-1]),
        float(model.intercept_[0]),
        LOW,
        THRESHOLD,
        trained_on,
        DEFAULT_ENCODER,
    )


def held_out_line(held: LabelledSet, model: PlainWordModel) -> str:
    """The held-out set's passwords found among the words read again, and its false alarms."""
    if not held.labels.size:
        return f"held out {held.name}: no plain words to read again"
    found = model.probability(held.vectors, held.first, held.rival) >= model.threshold
    passwords = held.labels == 1
    false = {int(m) for m in held.message_of[found & ~passwords]}
    return (
        f"held out {held.name}: plain-word passwords found {int(np.sum(found & passwords))}"
        f"/{int(passwords.sum())} of those read again; messages with a word falsely found "
        f"{len(false)}/{len(held.messages)}"
    )


def train(paths: Sequence[Path], *, progress: Progress = print) -> PlainWordModel:
    """Hold out each set in turn (printing its figures), then fit on them all."""
    sets = gather_all(paths, progress=progress)
    return labelled.hold_out_each_then_fit(
        sets, fit, held_out_line, noun="plain-word passwords", progress=progress
    )
