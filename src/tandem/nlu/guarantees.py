"""Phrases that guarantee a signal whatever the models say: asking for a person, a crisis.

The phrases are data (``data/guarantees.yaml``, validated when first read), matched as whole
words after case folding and with accents removed, so "Hablar con una PERSONA" and "hablar
con una persona" match alike. Scripts without spaces between words (Chinese) match anywhere.
A request phrase right after words that decline it ("no need to talk to a person", "不用转人工")
guarantees nothing: whether that message still asks for a person is the models' call.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

DATA = Path(__file__).parent / "data" / "guarantees.yaml"
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ`´", "'"))
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# A declining word still reads on a request phrase with at most one word between them ("no
# need to *even* talk to a person"), or for Chinese a few characters ("不用帮我转人工").
_DECLINE_GAP = r"(?:[\s,]+[\w']+)?[\s,]*$"
_DECLINE_GAP_UNSPACED = r".{0,4}$"


class Guarantee(StrEnum):
    HUMAN_REQUEST = "human_request"
    CRISIS = "crisis"


class _Phrases(BaseModel):
    model_config = ConfigDict(extra="forbid")

    human_request: dict[str, list[str]] = Field(min_length=1)
    declines: dict[str, list[str]] = Field(default_factory=dict)
    crisis: dict[str, list[str]] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class GuaranteeMatch:
    guarantee: Guarantee
    language: str
    phrase: str


def fold(text: str) -> str:
    """Return text case-folded, accents removed and whitespace collapsed, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare).strip()


def _pattern(phrase: str) -> re.Pattern[str]:
    folded = re.escape(fold(phrase))
    if _UNSPACED.search(phrase):
        return re.compile(folded)
    return re.compile(rf"(?<![\w']){folded}(?![\w'])")


@cache
def _compiled(
    path: Path = DATA,
) -> tuple[tuple[tuple[Guarantee, str, str, re.Pattern[str]], ...], tuple[re.Pattern[str], ...]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    phrases = _Phrases.model_validate(raw)
    out: list[tuple[Guarantee, str, str, re.Pattern[str]]] = []
    for guarantee in Guarantee:
        for language, items in getattr(phrases, guarantee.value).items():
            out.extend((guarantee, language, p, _pattern(p)) for p in items if p.strip())
    declines = tuple(
        _decline_pattern(p) for items in phrases.declines.values() for p in items if p.strip()
    )
    return tuple(out), declines


def _decline_pattern(phrase: str) -> re.Pattern[str]:
    """Match a declining phrase at the end of the text before a request phrase."""
    gap = _DECLINE_GAP_UNSPACED if _UNSPACED.search(phrase) else _DECLINE_GAP
    return re.compile(_pattern(phrase).pattern + gap)


def find_guarantees(text: str) -> list[GuaranteeMatch]:
    """Return every guarantee phrase in text, at most one per guarantee."""
    folded = fold(text)
    patterns, declines = _compiled()
    found: dict[Guarantee, GuaranteeMatch] = {}
    for guarantee, language, phrase, pattern in patterns:
        if guarantee in found:
            continue
        for match in pattern.finditer(folded):
            before = folded[: match.start()]
            if guarantee is Guarantee.HUMAN_REQUEST and any(d.search(before) for d in declines):
                continue
            found[guarantee] = GuaranteeMatch(guarantee, language, phrase)
            break
    return list(found.values())
