"""The typed reading of one customer turn (``Reading``), made by ``tandem.nlu.reading``.

A reading holds the message's language, a calibrated score for every signal, the signals that
fired with the evidence an agent sees (``Finding``), the kind of small talk, the earlier
message it repeats, the emotional load, and what the emotion and request gates said. Pure data
and the questions the bot and the policy ask of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from tandem.nlu.heads import EMOTIONS, SENSITIVE, Signal
from tandem.nlu.language import Language
from tandem.nlu.segments import word_count

_QUESTION = re.compile(r"[?？¿]")
_MIN_QUESTION_WORDS = 3


class SmallTalk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    ACKNOWLEDGEMENT = "acknowledgement"
    IDENTITY = "identity"  # "are you a bot?": the assistant says what it is
    CHITCHAT = "chitchat"  # "tell me a joke"


@dataclass(frozen=True, slots=True)
class Finding:
    """A signal that fired: its calibrated score and what in the message shows it."""

    signal: Signal
    score: float
    evidence: str
    source: Literal["model", "phrase"] = "model"


@dataclass(frozen=True)
class Reading:
    text: str
    language: Language
    scores: Mapping[Signal, float]
    findings: tuple[Finding, ...] = ()
    small_talk: SmallTalk | None = None
    repeats: str | None = None  # an earlier customer message this one says again
    load: float = 0.0
    # How likely the feeling read needs a person (the emotion gate); None: no gate, or no feeling
    feeling_needs_person: float | None = None
    feeling_passes: bool = True  # the gate lets the feeling hand off (always without a gate)
    # How likely the request for a person read needs one (the request gate; None: no gate, no
    # request read by the heads, or one said in so many words)
    request_needs_person: float | None = None
    request_passes: bool = True
    # The second set of message heads' margin (log-odds past its threshold) per signal: empty
    # without a second set; and how many parts of the message were read besides the whole
    second_opinion: Mapping[Signal, float] = field(default_factory=dict)
    parts: int = 0
    # The small-talk heads read the message as talk ("found it in my spam folder, all sorted
    # now, thanks a lot"), and nothing else fired, though it is too long or mixed for a
    # small-talk reply.
    closing: bool = False

    def finding(self, signal: Signal) -> Finding | None:
        return next((f for f in self.findings if f.signal is signal), None)

    def evidence(self, signal: Signal) -> str | None:
        found = self.finding(signal)
        return found.evidence if found else None

    @property
    def human_request(self) -> str | None:
        """Return the request for a person that needs one, with its evidence, or None."""
        return self.evidence(Signal.HUMAN_REQUEST) if self.request_passes else None

    @property
    def feelings(self) -> str | None:
        """Return every emotion read, with its evidence, or None (agents see them all)."""
        cues = [f"{f.signal.value}: {f.evidence}" for f in self.findings if f.signal in EMOTIONS]
        return "; ".join(cues) or None

    @property
    def negative_emotion(self) -> str | None:
        """Return the emotions that need a person, with their evidence, or None."""
        return self.feelings if self.feeling_passes else None

    @property
    def sensitive_topics(self) -> tuple[tuple[str, str], ...]:
        return tuple((f.signal.value, f.evidence) for f in self.findings if f.signal in SENSITIVE)

    @property
    def abusive(self) -> bool:
        return self.finding(Signal.ABUSE) is not None

    @property
    def negative(self) -> bool:
        return self.negative_emotion is not None

    @property
    def sentiment(self) -> float:
        """Return -1 (negative) .. 1 (not negative), from the negative-feeling head."""
        return round(1.0 - 2.0 * self.scores.get(Signal.NEGATIVE, 0.0), 3)

    @property
    def needs_answer(self) -> bool:
        """Tell whether the message asks or reports something the bot should answer.

        Small talk, one- or two-word replies ("ok", "a Visa") and a closing that asks nothing
        ("there was a space at the end, works now, thanks") need no answer, so a bot that has
        none for them has not failed.
        """
        if self.small_talk is not None:
            return False
        wanted = (Signal.ORDER_PROBLEM, Signal.ADVERSE_REQUEST, Signal.NOT_HELPED)
        return (
            bool(_QUESTION.search(self.text))
            or any(self.finding(s) for s in wanted)
            or (not self.closing and word_count(self.text) >= _MIN_QUESTION_WORDS)
        )
