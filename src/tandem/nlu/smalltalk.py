"""Recognise messages that are only politeness: greetings, thanks, goodbyes, acknowledgements.

The bot answers these in kind and does not count them as questions it failed to answer.
"""

from __future__ import annotations

import re
from enum import StrEnum

from tandem.nlu.requests import detect_order_problem
from tandem.nlu.text import tokenize


class SmallTalk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    ACKNOWLEDGEMENT = "acknowledgement"
    IDENTITY = "identity"  # "are you a bot?": the assistant says what it is


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


_CLOSING = re.compile(
    r"\b(?:thanks?|thank you|thx|cheers|no worries|no problem|makes sense|explains it|got it|"
    r"fair enough|all good|that'?s fine|fine|great|perfect|lovely|brilliant|sorted|ok|okay)\b"
)
MAX_CLOSING_WORDS = 12
_QUESTION_START = re.compile(
    r"^(?:how|what|when|where|why|who|which|can|could|do|does|did|is|are|will|would|should|"
    r"may|have|has)\b"
)
_REQUEST = re.compile(
    r"\b(?:i want|i need|i'?d like|i would like|please|pls|help|tell me|looking for|wondering|"
    r"can you|could you|would you|is there|are there|how|what|when|where|why|which|who)\b"
)


_IDENTITY = re.compile(
    r"^(?:hello |hi |hey )?(?:are|r) (?:you|u) (?:a |an )?(?:bot|robot|ai|machine|real|human|"
    r"person|computer|chatbot)(?: or (?:a |an )?(?:bot|robot|ai|machine|real|human|person))?$"
    r"|^(?:is this|am i (?:talking|chatting|speaking) (?:to|with)) (?:a |an )?(?:bot|robot|ai|"
    r"machine|real person|human|automated|computer)$"
)


def detect_small_talk(text: str) -> SmallTalk | None:
    """Return the kind of politeness when the message is only that, else None.

    Besides pure politeness ("thanks!", "hi there"), a short closing remark that asks nothing
    ("ok, that explains it, thanks") counts: the customer is wrapping up, not asking.
    """
    words = tokenize(text)
    if not words:
        return None
    joined = " ".join(words)
    if _IDENTITY.match(joined):
        return SmallTalk.IDENTITY
    if len(words) <= MAX_WORDS and _WHOLE.match(joined):
        return next((kind for kind, pattern in _KINDS if pattern.search(joined)), None)
    if (
        len(words) <= MAX_CLOSING_WORDS
        and _CLOSING.search(joined)
        and not asks_something(text)
        and detect_order_problem(text) is None
    ):
        thanks = _KINDS[0][1].search(joined)
        return SmallTalk.THANKS if thanks else SmallTalk.ACKNOWLEDGEMENT
    return None


def asks_something(text: str) -> bool:
    """Tell whether a message asks a question or for help (rather than only stating)."""
    if "?" in text:
        return True
    joined = " ".join(tokenize(text))
    return bool(_QUESTION_START.match(joined) or _REQUEST.search(joined))
