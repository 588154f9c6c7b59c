"""Normalise a message's spelling: before its words are counted (intent features), and a
shouted message's case before an encoder reads it."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ`´′", "'"))
# Three or more of the same letter is expressive ("pleeease"); the word has one letter there.
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
# A message this much in capitals, with at least this many cased letters, is written with caps
# lock on: "HOW DO I TURN ON TWO-STEP LOGIN" asks what its words ask, nothing more.
SHOUTED_SHARE = 0.7
_SHOUTED_MIN_LETTERS = 6
_SENTENCE_START = re.compile(r"(^|[.!?。！？]\s+|\n\s*)([^\W\d_])")


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


def unshout(text: str) -> str:
    """Return a message written in capitals in sentence case; any other message as it is.

    Sentence encoders read case: trained on ordinary text, they take a whole message in
    capitals for anger (or a demand for a person) whatever it says. What the message says
    decides, so an encoder reads "HOW LONG DO I HAVE TO RETURN A RUG?" as "How long do I
    have to return a rug?". Shouted words inside an ordinary sentence are left alone.
    """
    cased = [c for c in text if c.isupper() or c.islower()]
    if len(cased) < _SHOUTED_MIN_LETTERS:
        return text
    if sum(c.isupper() for c in cased) < SHOUTED_SHARE * len(cased):
        return text
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text.lower())
