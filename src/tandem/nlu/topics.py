"""Detect sensitive topics that a person, not the bot, should handle.

Most topics show in a phrase ("passed away", "legal action"); some only in two phrases near each
other ("orders in my account" ... "I didn't place"), and an age in figures ("I'm 84").
Topics are not negated: "I'm not suicidal, but..." still deserves a person's attention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tandem.nlu import lexicons, topic_lexicons
from tandem.nlu.text import NO_TYPOS, PhraseSet, find_near, normalize, tokenize


class SensitiveTopic(StrEnum):
    """A topic the bot must not handle alone."""

    BEREAVEMENT = "bereavement"
    FRAUD = "fraud"
    HEALTH = "health"
    LEGAL = "legal"
    SELF_HARM = "self_harm"
    VULNERABILITY = "vulnerability"


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A sensitive topic and the words that revealed it (normalised)."""

    topic: SensitiveTopic
    evidence: str


_ANYWHERE = 1_000  # words apart: both phrases anywhere in the message


def _lexicon(patterns: tuple[str, ...], *, typos: bool = True) -> PhraseSet:
    # Topic words are long and specific; short ones ("rash", "sue", "scam") stay exact, since
    # one edit away lie everyday words ("cash", "use", "scan").
    min_fuzzy_len = 6 if typos else NO_TYPOS
    return PhraseSet(patterns, min_fuzzy_len=min_fuzzy_len, not_typos=lexicons.NEAR_MISSES)


@dataclass(frozen=True, slots=True)
class _Phrases:
    """A topic revealed by any one phrase of a lexicon."""

    lexicon: PhraseSet

    def find(self, tokens: Sequence[str]) -> str | None:
        match = self.lexicon.find(tokens)
        return None if match is None else match.evidence(tokens)


@dataclass(frozen=True, slots=True)
class _Near:
    """A topic revealed by two phrases together, at most window words apart."""

    first: PhraseSet
    second: PhraseSet
    window: int
    ordered: bool = True

    def find(self, tokens: Sequence[str]) -> str | None:
        pair = find_near(tokens, self.first, self.second, window=self.window, ordered=self.ordered)
        return None if pair is None else pair.evidence(tokens)


def _phrases(patterns: tuple[str, ...], *, typos: bool = True) -> _Phrases:
    return _Phrases(_lexicon(patterns, typos=typos))


def _near(
    first: tuple[str, ...],
    second: tuple[str, ...],
    *,
    window: int = _ANYWHERE,
    ordered: bool = False,
    typos_in_second: bool = False,
) -> _Near:
    # Both phrases anywhere, in either order, unless told otherwise. Verbs decide these pairs
    # by their tense ("someone changed", not "can someone change"), so only the nouns of the
    # second phrase may carry typos.
    return _Near(
        _lexicon(first, typos=False), _lexicon(second, typos=typos_in_second), window, ordered
    )


_CUES: dict[SensitiveTopic, tuple[_Phrases | _Near, ...]] = {
    SensitiveTopic.BEREAVEMENT: (
        _phrases(topic_lexicons.BEREAVEMENT),
        _phrases(topic_lexicons.BEREAVEMENT_EXACT, typos=False),
    ),
    SensitiveTopic.FRAUD: (
        _phrases(topic_lexicons.FRAUD),
        _phrases(topic_lexicons.FRAUD_EXACT, typos=False),
        _near(
            topic_lexicons.FRAUD_INTRUDERS,
            topic_lexicons.FRAUD_INTRUDED,
            window=3,
            ordered=True,
            typos_in_second=True,
        ),
        _near(
            topic_lexicons.FRAUD_ACTIVITY,
            topic_lexicons.FRAUD_DISOWNED,
            window=4,
            ordered=True,
        ),
        _near(
            topic_lexicons.FRAUD_NEVER_CUSTOMER,
            topic_lexicons.FRAUD_MONEY_TAKEN,
            typos_in_second=True,
        ),
        _near(topic_lexicons.FRAUD_NOT_ME, topic_lexicons.FRAUD_ACCOUNT_EVENTS),
        _near(
            topic_lexicons.FRAUD_LURES, topic_lexicons.FRAUD_SECRETS_ASKED, window=15, ordered=True
        ),
    ),
    SensitiveTopic.HEALTH: (
        _phrases(topic_lexicons.HEALTH),
        _phrases(topic_lexicons.HEALTH_EXACT, typos=False),
        # "my hand is badly burnt": a few words may tell how badly.
        _near(topic_lexicons.HEALTH_BODY, topic_lexicons.HEALTH_INJURIES, window=3, ordered=True),
        _near(
            topic_lexicons.HEALTH_FALLEN, topic_lexicons.HEALTH_FALLEN_ON, window=0, ordered=True
        ),
        _near(topic_lexicons.HEALTH_EATEN, topic_lexicons.HEALTH_DANGER, window=8),
        _near(
            topic_lexicons.HEALTH_FOREIGN_BODY, topic_lexicons.HEALTH_FOOD, window=3, ordered=True
        ),
    ),
    SensitiveTopic.LEGAL: (
        _phrases(topic_lexicons.LEGAL),
        _phrases(topic_lexicons.LEGAL_EXACT, typos=False),
    ),
    SensitiveTopic.SELF_HARM: (
        _phrases(topic_lexicons.SELF_HARM),
        _near(topic_lexicons.SELF_HARM_GONE, topic_lexicons.SELF_HARM_FINAL),
    ),
    SensitiveTopic.VULNERABILITY: (_phrases(topic_lexicons.VULNERABILITY),),
}
# The tokeniser splits on "&", so the UK's "A&E" (emergency department) is found in the text.
_A_AND_E = re.compile(r"\ba ?& ?e\b")
# An age said outright ("I'm 84", "aged 79 years"), not a share or a measure ("I'm 90% sure").
_AGE = re.compile(
    r"\b(?P<said>(?:i'm|im|i am|aged)\s+(?:now\s+|over\s+|nearly\s+|almost\s+)?(?P<age>\d{2,3}))"
    r"(?:\s+(?:years?|yrs?)\b|\s*(?:[,.;!?]|and\b|$))"
)
ELDERLY_AGE = 75
_OLDEST_AGE = 120


def detect_sensitive_topics(text: str) -> list[TopicMatch]:
    """Return at most one match per sensitive topic in text, in the order of SensitiveTopic."""
    tokens = tokenize(text)
    normalised = normalize(text)
    found: list[TopicMatch] = []
    for topic in SensitiveTopic:
        evidence = _find(topic, tokens) or _find_in_text(topic, normalised)
        if evidence is not None:
            found.append(TopicMatch(topic, evidence))
    return found


def _find(topic: SensitiveTopic, tokens: Sequence[str]) -> str | None:
    return next((evidence for cue in _CUES[topic] if (evidence := cue.find(tokens))), None)


def _find_in_text(topic: SensitiveTopic, text: str) -> str | None:
    if topic is SensitiveTopic.HEALTH and _A_AND_E.search(text):
        return "a&e"
    if topic is SensitiveTopic.VULNERABILITY:
        for said in _AGE.finditer(text):
            if ELDERLY_AGE <= int(said["age"]) <= _OLDEST_AGE:
                return said["said"]
    return None
