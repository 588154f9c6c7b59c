"""The words around a candidate secret, hashed: what the password and code models read besides
its shape.

A candidate's surroundings are written as marked words ("L_tried" before it, "R_neither" after
it, "M_login" anywhere in the message; digits folded to 0) and hashed into a fixed number of
columns, so a model's weights are one vector of floats whatever the vocabulary of the
languages it learnt from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import murmurhash3_32

from tandem.privacy.lexicon import Folded

HASHED = 2**13  # context words are hashed into this many columns
WORD_PATTERN = r"(?u)\b\w+\b"  # a context word (digits are folded to 0 first)
_DIGIT = re.compile(r"\d")
_WORD = re.compile(WORD_PATTERN)


def folded_at(folded: Folded, start: int) -> int:
    """Where the original text's index ``start`` lies in the folded text."""
    return folded.origin.index(start) if start in folded.origin else 0


def context(folded: Folded, start: int, end: int, *, left: int = 5, right: int = 4) -> str:
    """The words before and after ``original[start:end]`` and of the whole message, marked."""
    text = _DIGIT.sub("0", folded.text)
    at = folded_at(folded, start)
    stop = at + (end - start)
    before = text[max(0, at - 50) : at].split()[-left:]
    after = text[stop : stop + 40].split()[:right]
    return " ".join(
        [f"L_{w}" for w in before] + [f"R_{w}" for w in after] + [f"M_{w}" for w in text.split()]
    )


@cache
def _hasher() -> Any:  # Any: scikit-learn's vectoriser has no type hints
    from sklearn.feature_extraction.text import HashingVectorizer  # imported on first use

    return HashingVectorizer(
        n_features=HASHED, alternate_sign=False, norm="l2", token_pattern=WORD_PATTERN
    )


def hashed(texts: list[str]) -> Any:  # Any: a SciPy sparse matrix
    """The hashed context words of each text, one L2-normalised row each (for training)."""
    return _hasher().transform(texts)


def hashed_scores(texts: list[str], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """``hashed(texts) @ weights``, computed word by word: the same numbers without the
    vectoriser's checks and sparse matrices, which cost about 0.6 ms a call on every message."""
    scores = np.zeros(len(texts), dtype=np.float64)
    for row, text in enumerate(texts):
        counts = Counter(_column(word) for word in _WORD.findall(text.lower()))
        norm = math.sqrt(sum(count * count for count in counts.values()))
        if norm:
            scores[row] = sum(count * weights[column] for column, count in counts.items()) / norm
    return scores


@lru_cache(maxsize=2**16)
def _column(word: str) -> int:
    """The column scikit-learn's HashingVectorizer gives ``word`` (signed MurmurHash3, seed 0)."""
    h = int(murmurhash3_32(word, seed=0))
    if h == -(2**31):  # abs() of it overflows in scikit-learn's C code; this is what it yields
        return (2**31 - 1 - (HASHED - 1)) % HASHED
    return abs(h) % HASHED
