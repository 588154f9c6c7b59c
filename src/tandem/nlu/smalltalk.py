"""Recognise messages that are only politeness: greetings, thanks, goodbyes, acknowledgements.

The bot answers these in kind and does not count them as questions it failed to answer.
"""

from __future__ import annotations

import re
from enum import StrEnum

from tandem.nlu.text import tokenize


class SmallTalk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    ACKNOWLEDGEMENT = "acknowledgement"


_PATTERNS = (
    (SmallTalk.THANKS, r"(?:thanks?|thank you|thx|ty|cheers|ta|much appreciated|appreciate it)"),
    (
        SmallTalk.GOODBYE,
        r"(?:bye|goodbye|see you|see ya|have a (?:good|nice) (?:day|one)|that'?s all)",
    ),
    (SmallTalk.GREETING, r"(?:hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening)|yo)"),
    (
        SmallTalk.ACKNOWLEDGEMENT,
        r"(?:ok|okay|k|kk|right|alright|got it|great|perfect|lovely|brilliant|nice|cool|fine|"
        r"understood|makes sense|sounds good|noted|sure|yes|yep|yeah|no worries)",
    ),
)
_FILLER = r"(?:so much|very much|a lot|again|then|there|all|both|guys|team|folks|mate|x+)"
_ANY = "|".join(pattern for _kind, pattern in _PATTERNS)
_WHOLE = re.compile(rf"^(?:(?:{_ANY}|{_FILLER})\s*)+$")
_KINDS = tuple((kind, re.compile(rf"\b{pattern}\b")) for kind, pattern in _PATTERNS)
MAX_WORDS = 6


def detect_small_talk(text: str) -> SmallTalk | None:
    """Return the kind of politeness when the whole message is only that, else None."""
    words = tokenize(text)
    if not words or len(words) > MAX_WORDS:
        return None
    joined = " ".join(words)
    if not _WHOLE.match(joined):
        return None
    return next((kind for kind, pattern in _KINDS if pattern.search(joined)), None)
