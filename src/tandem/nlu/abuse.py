"""Find abusive language: profanity, even disguised ("f*cking", "sh1t"), and aimed insults."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.nlu import lexicons
from tandem.nlu.text import PhraseSet, find_near, normalize

# Profanity is matched on whitespace-ish words that keep the characters used to disguise it.
_DISGUISED_WORD = re.compile(r"[a-z0-9@$*#!]+")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_MASKS = frozenset("*#")
_DOUBLE_LETTER = re.compile(r"([a-z])\1")
_PROFANITY = lexicons.STRONG_PROFANITY | lexicons.MILD_PROFANITY


def _squeeze(word: str) -> str:
    return _DOUBLE_LETTER.sub(r"\1", word)


# Doubled letters are a disguise too ("fuuck", "shitt"); the collapse to single letters keeps
# short words out ("as" is not "ass").
_PROFANITY_BY_SQUEEZE = {_squeeze(word): word for word in sorted(_PROFANITY, reverse=True)}
_PROFANITY_BY_LENGTH: dict[int, list[str]] = {}
for _word in sorted(_PROFANITY):
    _PROFANITY_BY_LENGTH.setdefault(len(_word), []).append(_word)
# Typos are tolerated only on long insults: "usless" is "useless", "dump" is not "dumb".
_INSULTS = PhraseSet(
    lexicons.INSULT_NOUNS | lexicons.INSULT_ADJECTIVES,
    min_fuzzy_len=6,
    not_typos=lexicons.NEAR_MISSES,
)
_THREATS = PhraseSet(lexicons.THREATS, not_typos=lexicons.NEAR_MISSES)
_PROVOCATIONS = PhraseSet(lexicons.PROVOCATIONS, not_typos=lexicons.NEAR_MISSES)
_CONSEQUENCES = PhraseSet(lexicons.CONSEQUENCES, not_typos=lexicons.NEAR_MISSES)
_MIN_SQUEEZED = 4
# "keep ignoring me and see what happens": a dare, then the veiled consequence.
_DARE_WINDOW = 3
_AIM_WINDOW = 3  # words before an insult that may say whom it is aimed at


@dataclass(frozen=True, slots=True)
class Profanity:
    """A profane word as the customer wrote it (normalised), and the word it stands for."""

    written: str
    word: str

    @property
    def strong(self) -> bool:
        """Return whether the word is abusive on its own, not merely coarse ("damn")."""
        return self.word in lexicons.STRONG_PROFANITY


def find_profanity(text: str) -> list[Profanity]:
    """Return the profane words of text, left to right, seeing through common disguises."""
    found: list[Profanity] = []
    for raw in _DISGUISED_WORD.findall(normalize(text)):
        written = raw.strip("!#")
        word = _undisguise(written)
        if word is not None:
            found.append(Profanity(written, word))
    return found


def _undisguise(written: str) -> str | None:
    # Two letters, unless masked ("s***"), keep product codes like "A55" from reading as profanity.
    letters = sum(char.isalpha() for char in written)
    if letters == 0 or (letters < 2 and not _MASKS & set(written)):
        return None
    plain = written.translate(_LEET)
    if plain in _PROFANITY:
        return plain
    if _MASKS & set(plain):
        return _unmask(plain)
    squeezed = _squeeze(plain)
    if squeezed != plain and len(squeezed) >= _MIN_SQUEEZED:
        return _PROFANITY_BY_SQUEEZE.get(squeezed)
    return None


def _unmask(masked: str) -> str | None:
    # Each mask character hides exactly one letter: "f**k" is four letters long.
    pattern = re.compile("".join("[a-z]" if c in _MASKS else re.escape(c) for c in masked))
    return next(
        (w for w in _PROFANITY_BY_LENGTH.get(len(masked), ()) if pattern.fullmatch(w)), None
    )


def find_insults(tokens: Sequence[str]) -> list[str]:
    """Return the insults aimed at someone other than the writer, as written (normalised)."""
    found: list[str] = []
    for match in _INSULTS.find_all(tokens):
        (word,) = match.phrase
        before = tokens[max(0, match.start - _AIM_WINDOW) : match.start]
        after = tokens[match.end : match.end + 1]
        if word in lexicons.INSULT_NOUNS:
            aimed = not any(w in lexicons.SELF_REFERENCES for w in before)
        else:
            aimed = any(w in lexicons.ADDRESSEES for w in before) or any(
                w in lexicons.ADDRESSED_NOUNS for w in after
            )
        if aimed:
            found.append(tokens[match.start])
    return found


def find_threats(tokens: Sequence[str]) -> list[str]:
    """Return the threats in tokens, open ("watch your back") or veiled, as written."""
    found = [match.evidence(tokens) for match in _THREATS.find_all(tokens)]
    dare = find_near(tokens, _PROVOCATIONS, _CONSEQUENCES, window=_DARE_WINDOW)
    if dare is not None:
        found.append(dare.evidence(tokens))
    return found
