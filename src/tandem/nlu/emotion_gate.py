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

import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tandem.core.logistic import LogisticWeights, WeightsError
from tandem.core.sealed import SealBrokenError, read_sealed, write_sealed
from tandem.nlu.heads import COMPANION, EMOTIONS, METADATA, PARTS, WEIGHTS, ArtefactError, Signal

GATE_FILE = "emotion_gate.json"
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
_QUESTION = re.compile(r"[?？¿]")


class GateError(ArtefactError):
    """The emotion gate file is damaged or belongs to other heads."""


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def features_of(
    text: str,
    scores: Mapping[Signal, float],
    threshold: Callable[[Signal], float],
    *,
    whole_message: bool,
) -> list[float]:
    """The gate's inputs for one message: margins in log-odds, then the message's form."""
    margins = [_logit(scores.get(s, 0.0)) - _logit(threshold(s)) for s in READ]
    question = 1.0 if _QUESTION.search(text) else 0.0
    return [*margins, float(whole_message), math.log1p(len(text.split())), question]


@dataclass(frozen=True, slots=True)
class EmotionGate:
    weights: LogisticWeights
    threshold: float  # from this probability, the feeling needs a person
    heads: str  # sha256 of the heads' weights whose scores it reads
    trained_on: str

    def probability(self, features: list[float]) -> float:
        return float(self.weights.probability(np.array([features], dtype=np.float64))[0])


def save_gate(gate: EmotionGate, folder: Path) -> str:
    """Write the gate into a heads folder as JSON with its checksum; return the checksum."""
    body = {
        "weights": gate.weights.as_json(),
        "threshold": gate.threshold,
        "heads": gate.heads,
        "trained_on": gate.trained_on,
    }
    return write_sealed(folder / GATE_FILE, body, key="gate")


def heads_fingerprint(folder: Path) -> str:
    """Return one checksum of the weights of every set of heads in a heads folder."""
    digests = []
    for where in (folder, folder / PARTS, folder / COMPANION):
        meta = where / METADATA
        sha = json.loads(meta.read_text())["sha256"][WEIGHTS] if meta.is_file() else "-"
        digests.append(str(sha))
    return hashlib.sha256("+".join(digests).encode()).hexdigest()


def load_gate(folder: Path) -> EmotionGate | None:
    """Read the gate of a heads folder (None when it has none); refuse a damaged or stale one.

    Call it once the heads themselves have loaded (their checksums are checked there).
    """
    path = folder / GATE_FILE
    if not path.exists():
        return None
    rebuild = "Rebuild it with `tandem nlu train-emotion-gate`."
    try:
        body = read_sealed(path, key="gate")
        gate = EmotionGate(
            LogisticWeights.from_json(body["weights"]),
            float(body["threshold"]),
            str(body["heads"]),
            str(body["trained_on"]),
        )
    except SealBrokenError as error:
        raise GateError(
            f"The emotion gate {path} does not match its checksum. {rebuild}"
        ) from error
    except (OSError, ValueError, KeyError, TypeError, WeightsError) as error:
        raise GateError(f"Cannot read the emotion gate {path} ({error}). {rebuild}") from error
    if gate.weights.features != FEATURES:
        raise GateError(f"The emotion gate {path} reads other features. {rebuild}")
    if gate.heads != heads_fingerprint(folder):
        raise GateError(
            f"The emotion gate {path} was trained over other signal heads than the ones beside "
            f"it. {rebuild}"
        )
    return gate
