"""Detect sensitive topics that a person, not the bot, should handle.

Topics are not negated: "I'm not suicidal, but..." still deserves a person's attention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tandem.nlu import lexicons, topic_lexicons
from tandem.nlu.text import PhraseSet, normalize, tokenize


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


def _lexicon(patterns: tuple[str, ...]) -> PhraseSet:
    # Topic words are long and specific; short ones ("rash", "sue", "scam") stay exact, since
    # one edit away lie everyday words ("cash", "use", "scan").
    return PhraseSet(patterns, min_fuzzy_len=6, not_typos=lexicons.NEAR_MISSES)


_LEXICONS = {
    SensitiveTopic.BEREAVEMENT: _lexicon(topic_lexicons.BEREAVEMENT),
    SensitiveTopic.FRAUD: _lexicon(topic_lexicons.FRAUD),
    SensitiveTopic.HEALTH: _lexicon(topic_lexicons.HEALTH),
    SensitiveTopic.LEGAL: _lexicon(topic_lexicons.LEGAL),
    SensitiveTopic.SELF_HARM: _lexicon(topic_lexicons.SELF_HARM),
    SensitiveTopic.VULNERABILITY: _lexicon(topic_lexicons.VULNERABILITY),
}
# The tokeniser splits on "&", so the UK's "A&E" (emergency department) is found in the text.
_A_AND_E = re.compile(r"\ba ?& ?e\b")


def detect_sensitive_topics(text: str) -> list[TopicMatch]:
    """Return at most one match per sensitive topic in text, in the order of SensitiveTopic."""
    tokens = tokenize(text)
    found: list[TopicMatch] = []
    for topic in SensitiveTopic:
        match = _LEXICONS[topic].find(tokens)
        if match is not None:
            found.append(TopicMatch(topic, match.evidence(tokens)))
        elif topic is SensitiveTopic.HEALTH and _A_AND_E.search(normalize(text)):
            found.append(TopicMatch(topic, "a&e"))
    return found
