"""Score text with VADER, the offline lexicon sentiment model shipped with vaderSentiment."""

from __future__ import annotations

from functools import cache
from typing import Protocol, cast

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


class _Analyser(Protocol):
    def polarity_scores(self, text: str) -> dict[str, float]: ...


@cache
def _analyser() -> _Analyser:
    # Built once, on first use: construction reads the lexicon files shipped in the package.
    return cast(_Analyser, SentimentIntensityAnalyzer())


def compound(text: str) -> float:
    """Return VADER's compound score of text, from -1 (most negative) to 1 (most positive)."""
    return float(_analyser().polarity_scores(text)["compound"])
