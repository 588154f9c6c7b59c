"""Normalise and tokenise customer text, and match terms and phrases with typo tolerance.

Tolerance follows the length of the lexicon term: exact up to 3 letters, one edit up to 7,
two edits from 8 (optimal string alignment, so a transposition is one edit). A fuzzy match
must also keep the term's first letter: real typos rarely hit it, while real words one edit
away from a term often differ there ("cash"/"rash", "packed"/"hacked", "using"/"suing").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import product

from rapidfuzz.distance import OSA

_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ`´′", "'"))
# Three or more of the same letter is expressive ("pleeease", "agentttt"); the base word almost
# always has a single letter there, and the fuzzy matcher absorbs the rarer double letter.
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Customers often drop the apostrophe; lexicons spell contractions with it.
_CONTRACTIONS = {
    "arent": "aren't",
    "cant": "can't",
    "couldnt": "couldn't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "dont": "don't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "im": "i'm",
    "isnt": "isn't",
    "ive": "i've",
    "thats": "that's",
    "wasnt": "wasn't",
    "wont": "won't",
    "wouldnt": "wouldn't",
    "youre": "you're",
}
# Four-letter lexicon words sit one edit from dozens of everyday words (hate/have, four/for,
# care/card), so phrase lexicons tolerate typos from five letters on.
PHRASE_MIN_FUZZY_LEN = 5
# A minimum length for typos that no word reaches: a PhraseSet given it matches exactly.
NO_TYPOS = 1_000
# Bounds the per-set memo of token resolutions; vocabularies of chat text are small.
_MEMO_LIMIT = 50_000
# Two phrases this close are quoted with the words between them; farther apart, with "...".
_QUOTED_GAP = 3


# A quotation of two words or more, in straight or curly quotes: "the reviews said 'awful to
# assemble'". An apostrophe inside a word ("Hell's") neither opens nor closes one.
_QUOTATION = re.compile(r"""(?<!\w)(['"])(?=\S)([^"\n]*?\s[^"\n]*?)(?<=\S)\1(?!\w)""")
_QUOTES = str.maketrans(dict.fromkeys("“”„", '"'))


def drop_quotations(text: str) -> str:
    """Return text without its quotations of two words or more, which report someone else's words.

    One-word quotations stay: they are usually scare quotes ("your 'express' delivery").
    """
    return _QUOTATION.sub(" ", text.translate(_APOSTROPHES).translate(_QUOTES))


def normalize(text: str) -> str:
    """Return text case-folded, NFKC-normalised, without Latin accents, elongations collapsed."""
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    return _ELONGATION.sub(r"\1", _strip_latin_accents(text))


def _strip_latin_accents(text: str) -> str:
    # Only marks on ASCII letters go: "café" becomes "cafe", other scripts keep their marks.
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def tokenize(text: str) -> tuple[str, ...]:
    """Return the normalised words of text: letters and digits, keeping inner apostrophes."""
    return tuple(_CONTRACTIONS.get(word, word) for word in _WORD.findall(normalize(text)))


def max_edits(term: str) -> int:
    """Return how many edits a typo of term may contain: 0 to 3 letters, 1 to 7, then 2."""
    if len(term) <= 3:
        return 0
    return 1 if len(term) <= 7 else 2


def term_matches(token: str, term: str, *, min_fuzzy_len: int = 4) -> bool:
    """Return whether token is term or a plausible typo of it (terms shorter than min exact)."""
    if token == term:
        return True
    if len(term) < min_fuzzy_len or token[:1] != term[:1]:
        return False
    edits = max_edits(term)
    if abs(len(token) - len(term)) > edits:
        return False
    return OSA.distance(token, term, score_cutoff=edits) <= edits


def fuzzy_find(
    tokens: Sequence[str], terms: Collection[str], *, not_typos: Collection[str] = ()
) -> str | None:
    """Return the first token that is one of terms or a typo of one, else None.

    Tokens listed in not_typos (real words near a term, like "manage") only match exactly.
    """
    for token in tokens:
        if token in terms:
            return token
        if token not in not_typos and any(term_matches(token, term) for term in terms):
            return token
    return None


def expand(pattern: str) -> list[tuple[str, ...]]:
    """Return the phrases a pattern denotes: slots split on spaces, alternatives on "|".

    "made me|us sick|ill" denotes four phrases; "_" joins the words of a multi-word
    alternative, so "i'm|i_am blind" denotes "i'm blind" and "i am blind". Every word of a
    pattern must already be normalised.
    """
    slots = [[tuple(choice.split("_")) for choice in slot.split("|")] for slot in pattern.split()]
    return [tuple(word for part in parts for word in part) for parts in product(*slots)]


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A phrase found at tokens[start:end]."""

    start: int
    end: int
    phrase: tuple[str, ...]

    def evidence(self, tokens: Sequence[str]) -> str:
        """Return the matched tokens as the customer wrote them (normalised)."""
        return " ".join(tokens[self.start : self.end])


def _longest_first(phrase: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    return (-len(phrase), phrase)


class PhraseSet:
    """A compiled lexicon of phrases, each matched word by word with typo tolerance.

    Resolutions are memoised per token, so matching costs a dict lookup per token once warm;
    the memo is invisible to callers, who see a pure function of the tokens.
    """

    def __init__(
        self,
        patterns: Iterable[str],
        *,
        min_fuzzy_len: int = PHRASE_MIN_FUZZY_LEN,
        not_typos: Collection[str] = (),
    ) -> None:
        phrases = {phrase for pattern in patterns for phrase in expand(pattern)}
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            by_first.setdefault(phrase[0], []).append(phrase)
        self._by_first = {
            word: sorted(group, key=_longest_first) for word, group in by_first.items()
        }
        self._vocab = frozenset(word for phrase in phrases for word in phrase)
        self._fuzzy_by_initial: dict[str, list[str]] = {}
        for word in sorted(self._vocab):
            if len(word) >= min_fuzzy_len:
                self._fuzzy_by_initial.setdefault(word[0], []).append(word)
        self._min_fuzzy_len = min_fuzzy_len
        self._not_typos = frozenset(not_typos)
        self._memo: dict[str, frozenset[str]] = {}

    def words_for(self, token: str) -> frozenset[str]:
        """Return the lexicon words token may stand for: itself, or words it is a typo of."""
        cached = self._memo.get(token)
        if cached is not None:
            return cached
        words = {token} if token in self._vocab else set()
        if token not in self._not_typos:
            candidates = self._fuzzy_by_initial.get(token[:1], ())
            words.update(
                word
                for word in candidates
                if term_matches(token, word, min_fuzzy_len=self._min_fuzzy_len)
            )
        resolved = frozenset(words)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[token] = resolved
        return resolved

    def match_at(self, tokens: Sequence[str], start: int) -> PhraseMatch | None:
        """Return the longest phrase that starts at tokens[start], else None."""
        if start >= len(tokens):
            return None
        firsts = [word for word in self.words_for(tokens[start]) if word in self._by_first]
        if not firsts:
            return None
        if len(firsts) == 1:
            candidates = self._by_first[firsts[0]]
        else:
            # A typo can stand for several words: rank their phrases together, deterministically.
            candidates = sorted(
                (phrase for first in firsts for phrase in self._by_first[first]), key=_longest_first
            )
        for phrase in candidates:
            if self._matches(tokens, start, phrase):
                return PhraseMatch(start, start + len(phrase), phrase)
        return None

    def _matches(self, tokens: Sequence[str], start: int, phrase: tuple[str, ...]) -> bool:
        rest = tokens[start + 1 : start + len(phrase)]
        return len(rest) == len(phrase) - 1 and all(
            word in self.words_for(token) for word, token in zip(phrase[1:], rest, strict=True)
        )

    def find_all(self, tokens: Sequence[str]) -> list[PhraseMatch]:
        """Return the non-overlapping matches, left to right, longest at each position."""
        found: list[PhraseMatch] = []
        position = 0
        while position < len(tokens):
            match = self.match_at(tokens, position)
            if match is None:
                position += 1
            else:
                found.append(match)
                position = match.end
        return found

    def find(self, tokens: Sequence[str]) -> PhraseMatch | None:
        """Return the leftmost match, else None."""
        for position in range(len(tokens)):
            match = self.match_at(tokens, position)
            if match is not None:
                return match
        return None


@dataclass(frozen=True, slots=True)
class PairMatch:
    """Two phrases found near each other, in the order they were asked for."""

    first: PhraseMatch
    second: PhraseMatch

    def evidence(self, tokens: Sequence[str]) -> str:
        """Return both phrases in text order, with the words between them when they are close."""
        left, right = sorted((self.first, self.second), key=lambda match: match.start)
        if right.start - left.end <= _QUOTED_GAP:
            return " ".join(tokens[left.start : right.end])
        return f"{left.evidence(tokens)} ... {right.evidence(tokens)}"


def find_near(
    tokens: Sequence[str],
    first: PhraseSet,
    second: PhraseSet,
    *,
    window: int,
    ordered: bool = True,
) -> PairMatch | None:
    """Return the leftmost match of first with the nearest match of second within window words.

    When ordered, the second phrase must follow the first; otherwise it may stand either side.
    """
    firsts = first.find_all(tokens)
    if not firsts:
        return None
    return pair_up(firsts, second.find_all(tokens), window=window, ordered=ordered)


def pair_up(
    firsts: Sequence[PhraseMatch],
    seconds: Sequence[PhraseMatch],
    *,
    window: int,
    ordered: bool = True,
) -> PairMatch | None:
    """Return the leftmost first match with its nearest second one within window words, else None.

    Overlapping matches do not pair; a tie in distance goes to the earlier second match.
    """
    for first in firsts:
        near = [
            (gap, second)
            for second in seconds
            if 0 <= (gap := _gap(first, second, ordered=ordered)) <= window
        ]
        if near:
            return PairMatch(first, min(near, key=lambda pair: pair[0])[1])
    return None


def _gap(first: PhraseMatch, second: PhraseMatch, *, ordered: bool) -> int:
    """Return the words between two matches, or -1 if they overlap or stand in the wrong order."""
    if second.start >= first.end:
        return second.start - first.end
    if not ordered and first.start >= second.end:
        return first.start - second.end
    return -1
