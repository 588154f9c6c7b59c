"""Find slot values (order number, e-mail, code, free text) in a customer's message. Pure."""

from __future__ import annotations

import re

from tandem.bot.actions.spec import Slot

_BUILT_IN = {
    "order_number": re.compile(r"(?:#|\border\s*(?:number|no\.?)?\s*)?\b(\d{4,8})\b", re.I),
    "email": re.compile(r"\b([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b"),
    "code": re.compile(r"\b(\d{6})\b"),
}
_NEVER_MIND = re.compile(
    r"^\W*(?:never ?mind|forget (?:it|that|about it)|stop|cancel that|no thanks?)\W*$", re.I
)
MIN_TEXT_WORDS = 3


def extract(slot: Slot, text: str, *, asked: bool) -> str | None:
    """Return the slot's value in ``text``, or None.

    Free text is taken only as the answer to the question that asked for it (``asked``),
    never guessed from a message about something else.
    """
    if slot.pattern is not None:
        match = re.search(slot.pattern, text, re.IGNORECASE)
        return match.group(1).strip() if match else None
    if slot.type == "text":
        cleaned = " ".join(text.split())
        return cleaned if asked and len(cleaned.split()) >= MIN_TEXT_WORDS else None
    match = _BUILT_IN[slot.type].search(text)
    if match is None:
        return None
    value = match.group(1)
    return value.lower() if slot.type == "email" else value


def extract_all(slots: dict[str, Slot], text: str, *, asked: str | None) -> dict[str, str]:
    """Return every slot value found in ``text``."""
    found = {}
    for name, slot in slots.items():
        value = extract(slot, text, asked=name == asked)
        if value is not None:
            found[name] = value
    return found


def never_mind(text: str) -> bool:
    """Tell whether the customer calls off what the bot is doing ("never mind")."""
    return _NEVER_MIND.match(text) is not None
