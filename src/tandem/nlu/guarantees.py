"""Phrases that guarantee a signal whatever the models say: asking for a person, a crisis.

The phrases are data (``data/guarantees.yaml``, validated when first read), matched as whole
words after case folding and with accents removed, so "Hablar con una PERSONA" and "hablar
con una persona" match alike. Scripts without spaces between words (Chinese) match anywhere.
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


class Guarantee(StrEnum):
    HUMAN_REQUEST = "human_request"
    CRISIS = "crisis"


class _Phrases(BaseModel):
    model_config = ConfigDict(extra="forbid")

    human_request: dict[str, list[str]] = Field(min_length=1)
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
) -> tuple[tuple[Guarantee, str, str, re.Pattern[str]], ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    phrases = _Phrases.model_validate(raw)
    out: list[tuple[Guarantee, str, str, re.Pattern[str]]] = []
    for guarantee in Guarantee:
        for language, items in getattr(phrases, guarantee.value).items():
            out.extend((guarantee, language, p, _pattern(p)) for p in items if p.strip())
    return tuple(out)


def find_guarantees(text: str) -> list[GuaranteeMatch]:
    """Return every guarantee phrase in text, at most one per guarantee."""
    folded = fold(text)
    found: dict[Guarantee, GuaranteeMatch] = {}
    for guarantee, language, phrase, pattern in _compiled():
        if guarantee not in found and pattern.search(folded):
            found[guarantee] = GuaranteeMatch(guarantee, language, phrase)
    return list(found.values())
