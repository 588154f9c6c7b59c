"""Copies of training messages: misspelt requests for a person, and the parts of routine ones.

Misspelt copies teach the heads that "i need a humna" still asks for a person.

The sentence encoder splits a misspelt word into pieces unrelated to the word, so a model
trained on clean text misses the request. Each message that asks for a person gets a few
copies with typing slips (two letters swapped, one dropped, doubled or replaced by a key next
to it) in one or two of its longer words. Chinese is left alone: its slips are other
characters, not letters. Deterministic for a given seed.

Parts teach them what a clause on its own does not say. The reader scores a message's
sentences and clauses too (``tandem.nlu.segments``), and a part counts in full for a request
for a person, so "im in belgium" out of "can i pay with ideal, im in belgium" must not read as
one. A routine message's parts are routine too (nothing in "I don't need an agent, just: is
the mug dishwasher safe?" asks for a person), so each becomes a message with no signal. A
message of a routine conversation lends its sentences, not its clauses: "Tô querendo mandar
uma manta pra minha tia." out of a question about delivery read as a request for a person.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tandem.nlu.heads import Signal
from tandem.nlu.segments import parts, sentences

if TYPE_CHECKING:  # heads_training imports this module
    from tandem.nlu.heads_training import Example

TYPO_SIGNALS = frozenset({Signal.HUMAN_REQUEST})
VARIANTS = 2
_WORD = re.compile(r"[^\W\d_]{4,}")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    char: "".join(
        other
        for r, other_row in enumerate(_ROWS)
        for c, other in enumerate(other_row)
        if (r, c) != (row, col) and abs(r - row) <= 1 and abs(c - col) <= 1
    )
    for row, letters in enumerate(_ROWS)
    for col, char in enumerate(letters)
}


def _slip(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)  # keep the first letter: people rarely miss it
    kind = rng.choice(("swap", "drop", "double", "neighbour"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower(), "")
    return word[:i] + rng.choice(near) + word[i + 1 :] if near else word[:i] + word[i + 1 :]


def misspell(text: str, rng: random.Random) -> str:
    """Return text with a slip in one or two of its words of four letters or more."""
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return text
    chosen = sorted(rng.sample(spans, k=min(len(spans), rng.choice((1, 1, 2)))), reverse=True)
    for start, end in chosen:
        text = text[:start] + _slip(text[start:end], rng) + text[end:]
    return text


@dataclass(frozen=True)
class Variant:
    """A copy of corpus example ``source`` (an index): misspelt, or one of its parts."""

    source: int
    example: Example


def typo_variants(
    examples: Sequence[Example], *, seed: int = 0, variants: int = VARIANTS
) -> list[Variant]:
    """Return misspelt copies of the examples labelled with a signal in ``TYPO_SIGNALS``."""
    rng = random.Random(seed)  # noqa: S311 - reproducible training data, not a secret
    out: list[Variant] = []
    for index, example in enumerate(examples):
        if example.lang == "zh" or not TYPO_SIGNALS & set(example.labels):
            continue
        seen = {example.text}
        for _ in range(variants):
            text = misspell(example.text, rng)
            if text not in seen:
                seen.add(text)
                out.append(Variant(index, example.model_copy(update={"text": text})))
    return out


# Parts of messages with no other signal than these are routine too.
_ROUTINE_LABELS = frozenset({Signal.SMALL_TALK})


def clause_copies(examples: Sequence[Example]) -> list[Variant]:
    """Return every part of each routine message as a message with no signal.

    A part of small talk ("hi! thanks!") keeps its small-talk label; the trainer marks the
    parts of other messages that are small talk ("Hello." before a question). A message of a
    routine conversation gives its sentences only, with no label (the trainer marks small
    talk): its label says the whole hands nothing off, and a sentence keeps what qualifies it,
    while a clause need not ("no need for a person" out of "no need for a person, just tell me
    when you open" taught the heads that read parts to miss "I need a person").
    """
    out: list[Variant] = []
    for index, example in enumerate(examples):
        if not set(example.labels) <= _ROUTINE_LABELS:
            continue
        copies: list[tuple[str, tuple[Signal, ...]]]
        if example.dialog:
            split = sentences(example.text)
            copies = [(s, ()) for s in split] if len(split) > 1 else []
        else:
            copies = [(part, example.labels) for part in parts(example.text)]
        out.extend(
            Variant(index, example.model_copy(update={"text": text, "labels": labels}))
            for text, labels in copies
        )
    return out
