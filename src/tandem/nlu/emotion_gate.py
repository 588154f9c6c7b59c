"""The emotion gate: does the feeling the heads read in a message need a person?

The emotion heads fire early on purpose (a missed angry customer is trapped with the bot), so
they also fire on feelings nobody needs a person for: "Shame. I'll pay up front then.", "this
throw is so soft I could cry", a grandmother who writes in capitals. Read on their own, the
scores of one message cannot tell these apart from "so I'm just supposed to eat the cost?".
The gate is a logistic regression over what the reading already holds: how far each emotion
and the signals around it are past their thresholds, whether the whole message or only a part
carries the feeling, its length and whether it asks something. It is trained by ``tandem nlu
train-emotion-gate`` on labelled conversations (the fired turns of routine ones against those
of conversations that needed a person for their feelings), and kept in the heads folder as a
small JSON file with the checksum of the heads it reads.

Distress is never gated: on the development conversations much of the distress the heads
read in routine messages was delight ("so soft I could cry"), so a gate learnt there held back
"I'm in tears, the cot still hasn't come and the baby is due tomorrow". The gate reads
irritation (anger, complaint, abuse) only. A turn it lets through hands off for negative
emotion; one it holds back keeps its findings (agents see them, the emotional load and the
rising-frustration rule count them), so a feeling that grows over turns still reaches a person.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from tandem.nlu import gate
from tandem.nlu.gate import Gate, GateError, GateKind, heads_fingerprint, logit
from tandem.nlu.heads import EMOTIONS, Signal

# The signals whose distance from their threshold the gate reads.
READ = (
    *EMOTIONS,
    Signal.NOT_HELPED,
    Signal.ORDER_PROBLEM,
    Signal.ADVERSE_REQUEST,
    Signal.SMALL_TALK,
    Signal.NEGATIVE,
    Signal.HUMAN_REQUEST,
)
# A feeling among these always hands off, whatever the gate would say.
UNGATED = frozenset({Signal.DISTRESS})
FEATURES = (*(f"margin_{s.value}" for s in READ), "whole_message", "log_words", "question")
KIND = GateKind("emotion gate", "emotion_gate.json", FEATURES, "train-emotion-gate")
GATE_FILE = KIND.file
QUESTION = re.compile(r"[?？¿]")
EmotionGate = Gate


def features_of(
    text: str,
    scores: Mapping[Signal, float],
    threshold: Callable[[Signal], float],
    *,
    whole_message: bool,
) -> list[float]:
    """The gate's inputs for one message: margins in log-odds, then the message's form."""
    margins = [logit(scores.get(s, 0.0)) - logit(threshold(s)) for s in READ]
    question = 1.0 if QUESTION.search(text) else 0.0
    return [*margins, float(whole_message), math.log1p(len(text.split())), question]


def save_gate(emotion_gate: Gate, folder: Path) -> str:
    """Write the emotion gate into a heads folder; return its checksum."""
    return gate.save_gate(KIND, emotion_gate, folder)


def load_gate(folder: Path) -> Gate | None:
    """Read the emotion gate of a heads folder (None when it has none)."""
    return gate.load_gate(KIND, folder)


__all__ = [
    "FEATURES",
    "GATE_FILE",
    "KIND",
    "READ",
    "UNGATED",
    "EmotionGate",
    "GateError",
    "features_of",
    "heads_fingerprint",
    "load_gate",
    "save_gate",
]
