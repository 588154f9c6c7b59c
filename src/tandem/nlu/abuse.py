"""Find abusive language: profanity, even disguised ("f*cking", "sh1t"), and aimed insults."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.nlu import abuse_lexicons, lexicons
from tandem.nlu.text import NO_TYPOS, PhraseSet, expand, find_near, normalize

# Profanity is matched on whitespace-ish words that keep the characters used to disguise it.
_DISGUISED_WORD = re.compile(r"[a-z0-9@$*#!]+")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_MASKS = frozenset("*#")
_DOUBLE_LETTER = re.compile(r"([a-z])\1")
_PROFANITY = abuse_lexicons.STRONG_PROFANITY | abuse_lexicons.MILD_PROFANITY


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
    (
        *abuse_lexicons.INSULT_NOUNS,
        *abuse_lexicons.INSULT_ADJECTIVES,
        *abuse_lexicons.INSULT_PHRASES,
        *abuse_lexicons.AIMED_INSULT_PHRASES,
    ),
    min_fuzzy_len=6,
    not_typos=lexicons.NEAR_MISSES,
)
_AIMED_ONLY = frozenset(
    phrase
    for pattern in (*abuse_lexicons.INSULT_ADJECTIVES, *abuse_lexicons.AIMED_INSULT_PHRASES)
    for phrase in expand(pattern)
)
# Matched exactly: one edit from "shut up" and "sod off" lie "shot up" and "set off".
_DISMISSALS = PhraseSet(abuse_lexicons.DISMISSALS, min_fuzzy_len=NO_TYPOS)
_THREATS = PhraseSet(abuse_lexicons.THREATS, not_typos=lexicons.NEAR_MISSES)
_PROVOCATIONS = PhraseSet(abuse_lexicons.PROVOCATIONS, not_typos=lexicons.NEAR_MISSES)
_CONSEQUENCES = PhraseSet(abuse_lexicons.CONSEQUENCES, not_typos=lexicons.NEAR_MISSES)
# Exact: "I'd better" is one edit from "I'd batter".
_VIOLENT_INTENT = PhraseSet(abuse_lexicons.VIOLENT_INTENT, min_fuzzy_len=NO_TYPOS)
_VICTIMS = PhraseSet(abuse_lexicons.VICTIMS, min_fuzzy_len=NO_TYPOS)
_VIOLENCE_WINDOW = 3  # "I'll smash your driver's face in"
_MIN_SQUEEZED = 4
# "keep ignoring me and see what happens": a dare, then the veiled consequence.
_DARE_WINDOW = 3
_AIM_WINDOW = 3  # words before an insult that may say whom it is aimed at
# A coarse word is aimed only from closer: in "are you kidding, this crap again" it is not.
_PROFANITY_AIM_WINDOW = 2


@dataclass(frozen=True, slots=True)
class Profanity:
    """A profane word as the customer wrote it (normalised), and the word it stands for."""

    written: str
    word: str
    aimed: bool = False  # a coarse word said to someone: "you shit", "shit service"

    @property
    def strong(self) -> bool:
        """Return whether the word is abusive: strong on its own, or a coarse word aimed."""
        return self.word in abuse_lexicons.STRONG_PROFANITY or self.aimed


def find_profanity(text: str) -> list[Profanity]:
    """Return the profane words of text, left to right, seeing through common disguises."""
    found: list[Profanity] = []
    words = [raw.strip("!#") for raw in _DISGUISED_WORD.findall(normalize(text))]
    for position, written in enumerate(words):
        word = _undisguise(written)
        if word is not None:
            aimed = word in abuse_lexicons.AIMABLE_PROFANITY and _aimed(
                words, position, position + 1
            )
            found.append(Profanity(written, word, aimed))
    return found


def _aimed(words: Sequence[str], start: int, end: int) -> bool:
    # "you shit", "your crappy furniture", "shit service": an addressee just before, or what
    # the addressee is or runs right after.
    before = words[max(0, start - _PROFANITY_AIM_WINDOW) : start]
    after = words[end : end + 1]
    targets = abuse_lexicons.ADDRESSED_NOUNS | abuse_lexicons.AIMED_AT_SERVICE
    return any(w in abuse_lexicons.ADDRESSEES for w in before) or any(w in targets for w in after)


def _undisguise(written: str) -> str | None:
    # Two letters, unless masked ("s***"), keep product codes like "A55" from reading as profanity.
    letters = sum(char.isalpha() for char in written)
    if letters == 0 or (letters < 2 and not _MASKS & set(written)):
        return None
    plain = written.translate(_LEET)
    if plain in _PROFANITY:
        return plain
    # A "v" for the "u" is a disguise too ("fvck"); no profane word is spelt with a "v".
    u_for_v = plain.replace("v", "u")
    if u_for_v != plain and u_for_v in _PROFANITY:
        return u_for_v
    plain = u_for_v
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
    """Return the insults aimed at someone other than the writer, as written (normalised).

    Digits standing for letters are seen through ("id10t"); "go to hell" and the like count
    as insults too.
    """
    plain = [_deleet(token) for token in tokens]
    found: list[str] = []
    for match in _INSULTS.find_all(plain):
        before = plain[max(0, match.start - _AIM_WINDOW) : match.start]
        after = plain[match.end : match.end + 1]
        if match.phrase in _AIMED_ONLY:
            aimed = any(w in abuse_lexicons.ADDRESSEES for w in before) or any(
                w in abuse_lexicons.ADDRESSED_NOUNS for w in after
            )
        else:
            aimed = not any(w in abuse_lexicons.SELF_REFERENCES for w in before)
        if aimed:
            found.append(" ".join(tokens[match.start : match.end]))
    found.extend(match.evidence(tokens) for match in _DISMISSALS.find_all(plain))
    return found


def _deleet(token: str) -> str:
    # Only words that mix letters and digits: "id10t" is "idiot", "A55" and "2024" stay.
    letters = sum(char.isalpha() for char in token)
    if letters < 2 or letters == len(token):
        return token
    return token.translate(_LEET)


def find_threats(tokens: Sequence[str]) -> list[str]:
    """Return the threats in tokens, open ("watch your back") or veiled, as written."""
    found = [match.evidence(tokens) for match in _THREATS.find_all(tokens)]
    dare = find_near(tokens, _PROVOCATIONS, _CONSEQUENCES, window=_DARE_WINDOW)
    if dare is not None:
        found.append(dare.evidence(tokens))
    violence = find_near(tokens, _VIOLENT_INTENT, _VICTIMS, window=_VIOLENCE_WINDOW)
    if violence is not None:
        found.append(violence.evidence(tokens))
    return found
