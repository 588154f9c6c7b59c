"""The parts of a message the reader scores besides the whole: its sentences and clauses.

"it's been 3 weeks and still no refund, get me a person" asks for a person in its last
clause, which the whole message drowns out. Training uses the same split, so the heads learn
what a part on its own does and does not say. Pure.
"""

from __future__ import annotations

import re

_SENTENCES = re.compile(r"(?<=[.!?])\s+|(?<=[。！？\n])")
_CLAUSES = re.compile(r"[,;:，；]\s*|\s+(?:but|and then|so|pero|mais|aber|ma|mas|maar|ale)\s+")
_WORDS = re.compile(r"\w+")
MIN_CLAUSE_WORDS = 3
MAX_SEGMENTS = 6


def word_count(text: str) -> int:
    """Count words, and Chinese characters two to a word."""
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return len(_WORDS.findall(text)) + han // 2


def sentences(text: str) -> list[str]:
    """Return the message's sentences (one, for a message of one sentence)."""
    return [s.strip() for s in _SENTENCES.split(text) if s.strip()]


def parts(text: str) -> list[str]:
    """Return the message's sentences, split into clauses of a few words, at most a handful.

    A message of one sentence and no clauses has no parts.
    """
    found: list[str] = []
    for sentence in sentences(text):
        clauses = [c.strip() for c in _CLAUSES.split(sentence) if c.strip()]
        if len(clauses) > 1 and all(word_count(c) >= MIN_CLAUSE_WORDS for c in clauses):
            found.extend(clauses)
        else:
            found.append(sentence)
    return [p for p in dict.fromkeys(found) if p != text.strip()][:MAX_SEGMENTS]


def segments(text: str) -> list[str]:
    """Return the whole message first, then its parts."""
    return [text, *parts(text)]
