"""Build the password model from labelled redaction sets (``tandem privacy train-passwords``).

Each set is a JSONL file of messages with their secrets' spans (the format of
``benchmarks/data/redaction_v2/``). Every candidate word is a row: a password when it overlaps a
labelled password span; words inside another kind of secret are left out (cards and codes are
found by their own rules). Before the final fit each set is held out in turn, and the command
prints what the rules alone and the rules with the model find in it, and the messages where
the model alone removes something unlabelled. Deterministic for the same files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from tandem.core.errors import InvalidInputError
from tandem.core.logistic import LogisticWeights
from tandem.privacy.lexicon import Folded, load_lexicon
from tandem.privacy.password_model import FEATURES, PasswordModel, candidates, features
from tandem.privacy.redaction import SecretKind, find_secrets

THRESHOLD = 0.7  # chosen holding out each studied set in turn: no message falsely redacted
PASSWORD_WEIGHT = 5.0  # a missed password costs more than a word scored too high
C = 1.0

Progress = Callable[[str], None]
Span = tuple[int, int]


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    passwords: tuple[Span, ...]
    others: tuple[Span, ...]


@dataclass
class LabelledSet:
    name: str
    messages: list[Message]
    matrix: NDArray[np.float64]
    labels: NDArray[np.int64]
    rows: list[tuple[int, Span]]  # the message (index) and the word's span of each row


def read_set(path: Path) -> list[Message]:
    """Read one labelled JSONL file; name every bad line."""
    messages, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            spans = [(str(s["kind"]), int(s["start"]), int(s["end"])) for s in data["spans"]]
            messages.append(
                Message(
                    str(data["id"]),
                    str(data["text"]),
                    tuple((a, b) for kind, a, b in spans if kind == "password"),
                    tuple((a, b) for kind, a, b in spans if kind != "password"),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            problems.append(f"line {number}: {error!r}")
    if problems:
        raise InvalidInputError(f"{path} has problems:\n" + "\n".join(problems))
    return messages


def _overlaps(span: Span, spans: Sequence[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def gather(name: str, messages: list[Message]) -> LabelledSet:
    lexicon = load_lexicon()
    matrix, labels, rows = [], [], []
    for index, message in enumerate(messages):
        folded = Folded.of(message.text)
        for word in candidates(folded, lexicon):
            span = (word.start, word.end)
            if _overlaps(span, message.others):
                continue
            matrix.append(features(folded, lexicon, word))
            labels.append(int(_overlaps(span, message.passwords)))
            rows.append((index, span))
    return LabelledSet(
        name,
        messages,
        np.array(matrix, dtype=np.float64).reshape(-1, len(FEATURES)),
        np.array(labels, dtype=np.int64),
        rows,
    )


def fit(sets: Sequence[LabelledSet], *, trained_on: str = "") -> PasswordModel:
    x = np.vstack([s.matrix for s in sets])
    y = np.concatenate([s.labels for s in sets])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=C, max_iter=5000, class_weight={0: 1.0, 1: PASSWORD_WEIGHT})
    model.fit((x - mean) / scale, y)
    weights = LogisticWeights(
        FEATURES,
        mean,
        scale,
        model.coef_[0].astype(np.float64),
        float(model.intercept_[0]),
    )
    return PasswordModel(weights, THRESHOLD, trained_on)


def held_out_line(held: LabelledSet, model: PasswordModel) -> str:
    """What the rules find in ``held``, what they find with the model, and its false alarms."""
    probability = model.probability(held.matrix) if len(held.rows) else np.zeros(0)
    by_model: dict[int, list[Span]] = {}
    for (index, span), p in zip(held.rows, probability, strict=True):
        if p >= model.threshold:
            by_model.setdefault(index, []).append(span)
    rules_found = both_found = total = false_messages = 0
    for index, message in enumerate(held.messages):
        ruled = [
            (r.start, r.end)
            for r in find_secrets(message.text, learned=False)
            if r.kind is SecretKind.PASSWORD
        ]
        modelled = by_model.get(index, [])
        for span in message.passwords:
            total += 1
            rules_found += _overlaps(span, ruled)
            both_found += _overlaps(span, ruled + modelled)
        labelled = message.passwords + message.others
        false_messages += any(
            not _overlaps(s, labelled) for s in modelled if not _overlaps(s, ruled)
        )
    return (
        f"held out {held.name}: passwords found by the rules {rules_found}/{total}, "
        f"with the model {both_found}/{total}; messages the model alone redacts falsely "
        f"{false_messages}/{len(held.messages)}"
    )


def train(paths: Sequence[Path], *, progress: Progress = print) -> PasswordModel:
    """Hold out each set in turn (printing its figures), then fit on them all."""
    if len(paths) < 2:
        raise InvalidInputError("give at least two labelled sets, so each can be held out")
    sets = []
    for path in paths:
        if not path.is_file():
            raise InvalidInputError(
                f"{path} does not exist; run the command from the repository's root or give --data"
            )
        sets.append(gather(path.parent.name, read_set(path)))
    for held in sets:
        model = fit([s for s in sets if s is not held])
        progress(held_out_line(held, model))
    summary = ", ".join(
        f"{s.name} ({len(s.messages)} messages, {int(s.labels.sum())} passwords)" for s in sets
    )
    return fit(sets, trained_on=summary)
