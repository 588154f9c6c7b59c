"""Detect what a customer asks for that the bot must not decide, and reports of order problems.

Adverse decisions (a refund outside policy, a rejected claim, compensation, an exception) are
made by people: the bot may explain a policy but never refuse or grant an exception itself.
"""

from __future__ import annotations

import re

_ADVERSE_PATTERNS = (
    r"compensat\w*|goodwill|partial refund for|price adjustment",
    r"charge ?back|dispute\w*|appeal\w*|escalat\w* (?:my|this) (?:claim|case|complaint)",
    r"(?:refund|return)\w* (?:after|outside|past|beyond) (?:the )?"
    r"(?:\d+[- ]day|return|window|deadline|period)",
    r"(?:after|outside|past|beyond|missed) the (?:\d+[- ]day |return )?(?:window|deadline|period)",
    r"(?:more|over) than (?:30|thirty) days",
    r"(?:claim|refund|return|request|report|complaint)\b[^.?!]{0,40}?\b"
    r"(?:denied|rejected|refused|declined|turned down)",
    r"(?:denied|rejected|refused|declined|denying|rejecting|refusing) (?:my |the )?"
    r"(?:claim|refund|return|request|warranty)",
    r"(?:make|grant|give me) an exception|exception to (?:the|your) (?:policy|rules)",
    r"money back for (?:the|my) (?:delay|inconvenience)",
    r"(?:knocked|deducted|took|taken)\b[^.?!]{0,30}?\boff (?:my|the) refund",
    r"(?:look(?:ed)? at|review(?:ed)?|reconsider(?:ed)?|check(?:ed)?) "
    r"(?:it |this |my claim )?again",
    r"reconsider\w*|overturn\w*",
    r"cancel\w* (?:an? |my |the )?order (?:that|which) (?:has |was |is )?(?:already )?"
    r"(?:shipped|dispatched|sent)",
    r"already (?:shipped|dispatched)\W+(?:but )?(?:i )?(?:want|need) (?:to )?cancel",
)
_PROBLEM_PATTERNS = (
    r"damaged|broken|smashed|cracked|dented|scratched|faulty|defective",
    r"not working|doesn'?t work|stopped working|missing|lost|stolen",
    r"never (?:arrived|came)|hasn'?t (?:arrived|come)|not (?:arrived|delivered|received)",
    r"didn'?t (?:arrive|receive)|wrong (?:item|size|colou?r|product)",
    r"late|delayed|refund|return|overcharged|double charged|charged (?:twice|\d+ times)",
    r"scratch\w*|chipped|torn|tear in|ripped|hole in|stained|leak\w*|snapped|wobbly|rust\w*",
    r"nothing (?:ever )?(?:came|arrived|turned up)|(?:didn'?t|never) turn(?:ed)? up",
    r"(?:isn'?t|is not|wasn'?t|was not|never) (?:here|there|delivered|in the (?:box|parcel))",
    r"only (?:got|received|came|\d+|half|part|some)\b[^.?!]{0,25}",
    r"where'?s the rest|nobody (?:has )?(?:contacted|called|replied|booked)",
    r"no one (?:has )?(?:contacted|called|replied|booked)|not (?:booked|scheduled)",
)
_ADVERSE = re.compile(r"\b(?:" + "|".join(_ADVERSE_PATTERNS) + r")\b", re.IGNORECASE)
_PROBLEM = re.compile(r"\b(?:" + "|".join(_PROBLEM_PATTERNS) + r")\b", re.IGNORECASE)


def detect_adverse_request(text: str) -> str | None:
    """Return the words that ask for an exception, compensation or a dispute, else None."""
    match = _ADVERSE.search(text)
    return match.group(0).lower() if match else None


def detect_order_problem(text: str) -> str | None:
    """Return the words that report a problem with an order (damaged, missing, late...)."""
    match = _PROBLEM.search(text)
    return match.group(0).lower() if match else None


_CORRECTION_PATTERNS = (
    r"no,? i mean\w*|that'?s not what i (?:asked|meant|said|need)|not what i (?:asked|meant)",
    r"(?:that|this|it) (?:doesn'?t|does not|didn'?t|did not) (?:help|answer|work)",
    r"not (?:helpful|what i asked)|doesn'?t answer my question|you (?:already|just) said that",
    r"i (?:already|just) (?:did|tried|know|said|told you)|i did that already|i know that",
    r"read my (?:message|question)|you'?re not listening|as i said|like i said",
    r"i (?:asked|said) (?:you )?(?:about|for)|is it possible or not|yes or no",
)
_CORRECTION = re.compile(r"\b(?:" + "|".join(_CORRECTION_PATTERNS) + r")\b", re.IGNORECASE)


def detect_correction(text: str) -> str | None:
    """Return the words that say the bot's last answer did not help ("no, I mean ...")."""
    match = _CORRECTION.search(text)
    return match.group(0).lower() if match else None
