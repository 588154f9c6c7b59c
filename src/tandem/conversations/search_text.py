"""What an agent typed into search, as words; and the part of a text that shows them.

Words are separated by spaces; a phrase in double quotes is one word. Matching is literal
(``50%`` is a per cent sign, not a wildcard) and ignores case, in any script: Chinese or Thai,
written without spaces, is one word per run of characters, matched wherever it appears.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.core.errors import InvalidInputError

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
SNIPPET_CHARS = 160
_WORD = re.compile(r'"([^"]*)"|([^\s"]+)')


def words_of(query: str | None) -> tuple[str, ...]:
    """The distinct words of ``query`` in the order typed; InvalidInputError saying what to
    shorten when it is too long to search."""
    text = unicodedata.normalize("NFC", query or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInputError(
            f"Search for at most {MAX_QUERY_CHARS} characters; yours has {len(text)}."
        )
    words: dict[str, str] = {}
    for phrase, word in _WORD.findall(text):
        found = " ".join((phrase or word).split())
        if found:
            words.setdefault(found.lower(), found)
    if len(words) > MAX_WORDS:
        raise InvalidInputError(
            f"Search for at most {MAX_WORDS} words at a time; yours has {len(words)}."
        )
    return tuple(words.values())


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    matched: bool


@dataclass(frozen=True, slots=True)
class Snippet:
    """A stretch of a text with the searched words marked; ``before`` and ``after`` say
    whether the text goes on beyond it."""

    parts: tuple[Part, ...]
    before: bool
    after: bool


def _pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    longest_first = sorted(words, key=len, reverse=True)  # "refund" before "ref"
    return re.compile("|".join(re.escape(w) for w in longest_first), re.IGNORECASE)


def highlight(text: str, words: Sequence[str]) -> tuple[Part, ...]:
    """``text`` cut into parts, the ones that are one of ``words`` (any case) marked."""
    pattern = _pattern(words)
    if pattern is None:
        return (Part(text, False),) if text else ()
    parts: list[Part] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            parts.append(Part(text[at : match.start()], False))
        parts.append(Part(match.group(0), True))
        at = match.end()
    if at < len(text):
        parts.append(Part(text[at:], False))
    return tuple(parts)


def snippet(text: str, words: Sequence[str], *, width: int = SNIPPET_CHARS) -> Snippet:
    """About ``width`` characters of ``text`` around the first of ``words`` found in it (its
    beginning when none is), with the words marked and the cut made at a space if one is near."""
    flat = " ".join(text.split())
    pattern = _pattern(words)
    first = pattern.search(flat) if pattern else None
    start = 0
    if first is not None and first.start() > width // 3:
        start = _after_space(flat, first.start() - width // 3, limit=first.start())
    end = min(len(flat), start + width)
    if end < len(flat):
        end = _before_space(flat, end, limit=max(start + width // 2, first.end() if first else 0))
    shown = flat[start:end].strip()
    return Snippet(highlight(shown, words), before=start > 0, after=end < len(flat))


def _after_space(text: str, at: int, *, limit: int) -> int:
    space = text.find(" ", at, limit)
    return at if space == -1 else space + 1


def _before_space(text: str, at: int, *, limit: int) -> int:
    space = text.rfind(" ", limit, at)
    return at if space == -1 else space
