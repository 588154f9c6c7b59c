"""How alike two customer messages are, to notice a customer repeating themselves."""

from __future__ import annotations

from rapidfuzz import fuzz

from tandem.nlu.text import tokenize

MIN_WORDS = 3  # "thanks" twice is politeness, not a loop


def similarity(first: str, second: str) -> float:
    """Return 0..1: word-order-insensitive similarity of two messages after normalisation."""
    a, b = " ".join(tokenize(first)), " ".join(tokenize(second))
    return float(fuzz.token_sort_ratio(a, b)) / 100.0


def repeats(text: str, earlier: list[str], *, threshold: float) -> str | None:
    """Return the earliest of ``earlier`` that ``text`` repeats, if any (short texts never do)."""
    if len(tokenize(text)) < MIN_WORDS:
        return None
    for candidate in earlier:
        if len(tokenize(candidate)) >= MIN_WORDS and similarity(text, candidate) >= threshold:
            return candidate
    return None
