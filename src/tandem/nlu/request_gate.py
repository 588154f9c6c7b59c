"""The request gate: does a request for a person that the heads read need a person?

The heads that read a request for a person fire early on purpose, and read every part of a
message in full (a request buried in its last clause must not be lost), so they also fire on
parts that ask for something else: "Tô querendo mandar uma manta pra minha tia." (I want to
send a blanket to my aunt), "Kan ik iets ophalen bij jullie magazijn?" (can I collect at your
warehouse?), "Could it go to my sister's instead?". What tells them apart is mostly whether the
second set of message heads, over another encoder, agrees: on the development conversations
a gate without that second opinion kept 74 of 106 routine conversations' false requests at
99.5% recall, with it 26, with the number of parts too 19.

The gate is a logistic regression over the margins of the request and the signals around it,
the second set's margin for the request, whether the whole message or a part carries it, the
number of parts, the length and whether it asks something (see ``tandem.nlu.gate``). It is
trained by ``tandem nlu train-request-gate`` on the turns of routine conversations and of
conversations that needed a person because the customer asked for one. A request said in so
many words ("转人工", "I want a human": ``tandem.nlu.guarantees``) is never gated. A request
the gate holds back stays in the reading, so agents see it; the bot answers the message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path

from tandem.nlu import gate
from tandem.nlu.emotion_gate import QUESTION
from tandem.nlu.gate import Gate, GateKind, logit
from tandem.nlu.heads import Signal
from tandem.nlu.segments import word_count

READ = (
    Signal.HUMAN_REQUEST,
    Signal.ORDER_PROBLEM,
    Signal.SMALL_TALK,
    Signal.NOT_HELPED,
    Signal.ANGER,
    Signal.COMPLAINT,
    Signal.ADVERSE_REQUEST,
    Signal.DISTRESS,
)
FEATURES = (
    *(f"margin_{s.value}" for s in READ),
    "second_opinion",
    "whole_message",
    "parts",
    "log_words",
    "question",
)
KIND = GateKind("request gate", "request_gate.json", FEATURES, "train-request-gate")


def features_of(
    text: str,
    scores: Mapping[Signal, float],
    threshold: Callable[[Signal], float],
    *,
    second_opinion: float | None,
    whole_message: bool,
    parts: int,
) -> list[float]:
    """The gate's inputs for one message: margins in log-odds, then the message's form.

    ``second_opinion`` is the second set of heads' margin for the request (None without a
    second set: the first set's margin stands in).
    """
    margins = [logit(scores.get(s, 0.0)) - logit(threshold(s)) for s in READ]
    second = margins[0] if second_opinion is None else second_opinion
    question = 1.0 if QUESTION.search(text) else 0.0
    form = [float(whole_message), float(parts), math.log1p(word_count(text)), question]
    return [*margins, second, *form]


def save_gate(request_gate: Gate, folder: Path) -> str:
    """Write the request gate into a heads folder; return its checksum."""
    return gate.save_gate(KIND, request_gate, folder)


def load_gate(folder: Path) -> Gate | None:
    """Read the request gate of a heads folder (None when it has none)."""
    return gate.load_gate(KIND, folder)
