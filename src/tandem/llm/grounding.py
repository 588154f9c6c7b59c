"""Check that a generated answer says only what the passages say, claim by claim. Pure.

Every sentence must share most of its content words with one passage, say yes or no the way
the passage sentence it rests on does, and every checkable claim in it (amounts, quantities,
numbers, days, links, e-mail addresses, phone numbers, codes) must appear in the passages; a
link may also be one of the cited articles'. A sentence saying something was done for the
customer ("I have issued your refund") is never supported: a model runs no actions. One
unsupported sentence rejects the whole answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tandem.llm.claims import Support, unsupported

MIN_OVERLAP = 0.6
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
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
_CLAUSE = re.compile(r",?\s+\b(?:but|however|although|except|whereas|while|unless)\b|;", re.I)
# Words that turn a statement into its opposite; "yes"/"no" open an answer's polarity.
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nothing|nowhere|cannot|can't|won't|don't|doesn't|isn't|aren't|"
    r"wasn't|weren't|shouldn't|couldn't|wouldn't|haven't|hasn't|unable|unfortunately)\b|n't\b",
    re.IGNORECASE,
)


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


def _negated(sentence: str) -> bool:
    return bool(_NEGATION.search(sentence))


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _content_words(text)}


def _clauses(text: str) -> list[tuple[set[str], bool]]:
    """Split sentences into clauses ("..., but not ...") with their words and polarity."""
    return [
        (_stems(clause), _negated(clause))
        for sentence in sentences(text)
        for clause in _CLAUSE.split(sentence)
        if clause.strip()
    ]


def _distinctive(passage_clauses: Sequence[tuple[set[str], bool]]) -> set[str]:
    """The words exactly one passage clause uses."""
    counts = Counter(word for words, _ in passage_clauses for word in words)
    return {word for word, count in counts.items() if count == 1}


def _opposite(
    sentence: str, passage_clauses: Sequence[tuple[set[str], bool]], distinctive: set[str]
) -> bool:
    """Whether ``sentence`` says yes where the passages say no, or the reverse.

    Each clause is compared with the passage clause closest to it, and with every passage
    clause it shares a distinctive word with (one no other passage clause uses, such as a
    country): "Yes, we ship to Norway" against "We do not ship to Norway" is caught even when
    another sentence about shipping is closer.
    """
    for words, negated in _clauses(sentence):
        if len(words) < 2 or not passage_clauses:
            continue
        closest = max(passage_clauses, key=lambda c: (len(words & c[0]), -len(c[0])))
        if len(words & closest[0]) >= 2 and closest[1] != negated:
            return True
        for other, other_negated in passage_clauses:
            shared = words & other
            if len(shared) >= 2 and shared & distinctive and other_negated != negated:
                return True
    return False


def check(answer: str, passages: Sequence[str], *, links: Iterable[str] = ()) -> Grounding:
    """Return whether every sentence of ``answer`` is supported by one of ``passages``.

    ``links`` are further addresses the answer may point to: the cited articles' own.
    """
    stems = [_stems(p) for p in passages]
    passage_clauses = [clause for p in passages for clause in _clauses(p)]
    distinctive = _distinctive(passage_clauses)
    support = Support.of(passages, links=links)
    cited: set[int] = set()
    problems: list[str] = []
    said = sentences(answer)
    for sentence in said:
        words = _stems(sentence)
        missing = unsupported(sentence, support)
        if missing:
            listed = ", ".join(claim.describe() for claim in missing)
            problems.append(f"not in the passages ({listed}): {sentence}")
            continue
        if not words:
            continue
        overlaps = [len(words & s) / len(words) for s in stems]
        best = max(range(len(stems)), key=overlaps.__getitem__, default=None)
        if best is None or overlaps[best] < MIN_OVERLAP:
            problems.append(f"not supported by any passage: {sentence}")
            continue
        if _opposite(sentence, passage_clauses, distinctive):
            problems.append(f"says the opposite of the passage: {sentence}")
            continue
        cited.add(best)
    if not cited and not problems:
        problems.append("the answer says nothing the passages support")
    return Grounding(ok=not problems, cited=tuple(sorted(cited)), problems=tuple(problems))
