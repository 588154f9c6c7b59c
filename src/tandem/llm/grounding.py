"""Check that a generated answer says only what the passages say. Pure.

Every sentence must share most of its content words with one passage, and every number in
it must appear in the passages; otherwise the whole answer is rejected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_OVERLAP = 0.6
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CITATION = re.compile(r"\[\d+(?:,\s*\d+)*\]")
_STOP_WORDS = """
the a an and or but if then of to in on at by for with from as is are was were be been it its
this that these those you your we our us i my me they them their he she his her can will would
should could may might do does did have has had not no so than too very also just about into
over after before there here what which who when where how all any each some such only own same
more most other please yes
"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class Grounding:
    ok: bool
    cited: tuple[int, ...]  # indexes of the passages the sentences rest on
    problems: tuple[str, ...]


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _stem(word: str) -> str:
    """Strip the commonest endings, so "issues" meets "issue" and "arriving" meets "arrive"."""
    for suffix in ("ing", "ed", "e", "s"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            return _stem(word[: -len(suffix)]) if suffix == "s" else word[: -len(suffix)]
    return word


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(_CITATION.sub("", text).strip()) if s.strip()]


def check(answer: str, passages: Sequence[str]) -> Grounding:
    """Return whether every sentence of ``answer`` is supported by one of ``passages``."""
    stems = [{_stem(w) for w in _content_words(p)} for p in passages]
    numbers = {n for p in passages for n in _NUMBER.findall(p)}
    cited: set[int] = set()
    problems: list[str] = []
    said = sentences(answer)
    for sentence in said:
        words = {_stem(w) for w in _content_words(sentence)}
        missing = [n for n in _NUMBER.findall(sentence) if n not in numbers]
        if missing:
            problems.append(f"numbers not in the passages ({', '.join(missing)}): {sentence}")
            continue
        if not words:
            continue
        overlaps = [len(words & s) / len(words) for s in stems]
        best = max(range(len(stems)), key=overlaps.__getitem__, default=None)
        if best is None or overlaps[best] < MIN_OVERLAP:
            problems.append(f"not supported by any passage: {sentence}")
            continue
        cited.add(best)
    if not cited and not problems:
        problems.append("the answer says nothing the passages support")
    return Grounding(ok=not problems, cited=tuple(sorted(cited)), problems=tuple(problems))
