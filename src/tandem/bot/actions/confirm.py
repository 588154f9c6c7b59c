"""Read a customer's answer to "Shall I go ahead?" before a write: yes, no, or unclear. Pure.

A write (cancelling an order, changing an address) runs only on a yes found here, never on a
model's guess; the words per language are data (``data/confirmations.yaml``). Anything else is
asked again, so an unclear answer never changes an order.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "confirmations.yaml"
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation and emoji around the answer
_SPACES = re.compile(r"[\s,;:.!?。，！？、]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@cache
def _phrases() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))

    def longest_first(kind: str) -> tuple[str, ...]:
        phrases = {str(p).lower() for lang in data.values() for p in lang[kind]}
        return tuple(sorted(phrases, key=len, reverse=True))

    return longest_first("agree"), longest_first("decline"), longest_first("hedge")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", _EDGES.sub("", text.lower().strip())).strip()


def _starts_with(text: str, phrase: str) -> bool:
    if text == phrase:
        return True
    if not text.startswith(phrase):
        return False
    rest = text[len(phrase) :]
    # Chinese writes no spaces between words: 好的取消吧 starts with 好的.
    return rest.startswith(" ") or bool(_CJK.match(phrase) and _CJK.match(rest))


def _mentions(text: str, phrase: str) -> bool:
    if _CJK.match(phrase):
        return phrase in text
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def confirmation(text: str) -> bool | None:
    """True for a yes, False for a no, None when the answer is neither or both."""
    answer = _normal(text)
    if not answer:
        return None
    yes, no, hedges = _phrases()
    said_no = next((p for p in no if _starts_with(answer, p)), None)
    said_yes = next((p for p in yes if _starts_with(answer, p)), None)
    if said_no is not None and (said_yes is None or len(said_no) >= len(said_yes)):
        return False if not any(_mentions(answer, p) for p in yes if p not in said_no) else None
    if said_yes is not None:
        rest = answer[len(said_yes) :]
        return None if any(_mentions(rest, p) for p in (*no, *hedges)) else True
    return None
