"""Normalise a message's spelling before its words are counted (intent features)."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ`´′", "'"))
# Three or more of the same letter is expressive ("pleeease"); the word has one letter there.
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")


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
