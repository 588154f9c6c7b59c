"""Build the emotion gate from labelled conversations (``tandem nlu train-emotion-gate``).

Every customer turn is read as the bot reads it (with the customer's earlier messages). A turn
in which the emotion heads found a feeling is an example: a negative one in a routine
conversation (nobody needed a person), a positive one in a conversation that needed a person
for its feelings (category ``negative_emotion``), up to the turn by which it had to reach one.
Conversations of other categories are left out: they reach a person for another reason.

The threshold is chosen on out-of-fold probabilities, holding out each set of conversations in
turn: the highest at which ``RECALL`` of the conversations that needed a person for their
feelings still pass in at least one turn. Deterministic for given conversations and heads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tandem.core.logistic import LogisticWeights
from tandem.core.logistic_training import fit_balanced
from tandem.nlu.dialog_corpus import LabelledDialog
from tandem.nlu.emotion_gate import FEATURES, EmotionGate
from tandem.nlu.heads_training import CorpusError
from tandem.nlu.reading import Reader

FEELINGS = "negative_emotion"  # the category of conversations that need a person for feelings
RECALL = 0.985  # of those conversations, held out, the gate must let through
C = 1.0  # compared with 0.1 holding out each set of conversations in turn: 0.1 lost precision
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Examples:
    """The fired turns of labelled conversations, with the set and conversation of each."""

    rows: NDArray[np.float64]
    labels: NDArray[np.bool_]
    groups: list[str]
    conversations: list[str]


def examples(
    sets: Sequence[tuple[str, Sequence[LabelledDialog]]], reader: Reader, progress: Progress
) -> Examples:
    """Read every turn of every conversation; keep the fired turns of the labelled ones."""
    rows: list[list[float]] = []
    labels: list[bool] = []
    groups: list[str] = []
    conversations: list[str] = []
    for name, dialogs in sets:
        progress(f"reading {len(dialogs)} conversations of {name}")
        for number, dialog in enumerate(dialogs, 1):
            if dialog.expect_human is False:
                turns, positive = dialog.turns, False
            elif dialog.expect_human and dialog.category == FEELINGS:
                turns, positive = dialog.turns[: dialog.by_turn or len(dialog.turns)], True
            else:
                continue
            for index, text in enumerate(turns):
                reading = reader.read(text, earlier=dialog.turns[:index])
                row = reader.gate_features(text, reading.scores, reading.findings)
                if row is not None:
                    rows.append(row)
                    labels.append(positive)
                    groups.append(name)
                    conversations.append(f"{name}/{dialog.id or number}")
    return Examples(
        np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES)),
        np.array(labels, dtype=bool),
        groups,
        conversations,
    )


def fit(rows: NDArray[np.float64], labels: NDArray[np.bool_]) -> LogisticWeights:
    return fit_balanced(rows, labels, FEATURES, c=C)


@dataclass(frozen=True)
class HeldOut:
    threshold: float
    feelings_passed: int  # conversations that needed a person for their feelings, let through
    feelings: int
    routine_passed: int  # routine conversations with a feeling found, still handed off
    routine: int


def held_out(data: Examples) -> HeldOut:
    """Choose the threshold on out-of-fold probabilities, each set held out in turn."""
    groups = np.array(data.groups)
    names = sorted(set(data.groups))
    if len(names) < 2:
        raise CorpusError("the emotion gate needs at least two sets of conversations")
    probabilities = np.zeros(len(data.labels))
    for name in names:
        held = groups == name
        if data.labels[~held].all() or not data.labels[~held].any():
            raise CorpusError(f"without {name}, the other sets lack routine or feeling examples")
        weights = fit(data.rows[~held], data.labels[~held])
        probabilities[held] = weights.probability(data.rows[held])
    conversations = np.array(data.conversations)

    def passed(threshold: float, positive: bool) -> int:
        chosen = (probabilities >= threshold) & (data.labels == positive)
        return len(set(conversations[chosen]))

    feelings = len(set(conversations[data.labels]))
    routine = len(set(conversations[~data.labels]))
    threshold = 0.0
    for candidate in np.linspace(0.01, 0.99, 99):
        if passed(float(candidate), True) >= RECALL * feelings:
            threshold = round(float(candidate), 2)
    return HeldOut(threshold, passed(threshold, True), feelings, passed(threshold, False), routine)


def train_gate(
    sets: Sequence[tuple[str, Sequence[LabelledDialog]]],
    reader: Reader,
    *,
    heads: str,
    progress: Progress = lambda _m: None,
) -> tuple[EmotionGate, HeldOut]:
    """Train the gate over ``reader``'s heads (whose fingerprint is ``heads``)."""
    data = examples(sets, reader, progress)
    if data.labels.all() or not data.labels.any():
        raise CorpusError("the conversations hold no routine or no feeling examples")
    report = held_out(data)
    names = ", ".join(name for name, _d in sets)
    trained_on = (
        f"{len(data.labels)} fired turns ({int(data.labels.sum())} needing a person) "
        f"of {sum(len(d) for _n, d in sets)} conversations: {names}"
    )
    return EmotionGate(fit(data.rows, data.labels), report.threshold, heads, trained_on), report
