"""Which language a customer writes in, and whether Tandem understands it.

Identification is py3langid's (langid.py's model, shipped in the package: 97 languages). A
short message ("ok", "merci") says too little to tell, so it is "undetermined" and the
conversation keeps the language it had; a message is read as a language Tandem does not
support only when the identifier is sure of it. A message the identifier hesitates over
between a regional variety and its neighbour ("¡Hola! ¿Enviáis a Tenerife?" reads 0.38
Extremaduran, 0.36 Spanish; a Groningen "Hou lang duurt 't veurdat 'n pakje in Grunn is?"
leans Frisian) is read as the supported language it is nearest, when the identifier, choosing
among the supported languages only, is sure of that one.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

SUPPORTED = ("en", "es", "fr", "de", "it", "pt", "nl", "pl", "zh")
UNDETERMINED = "und"
_SUPPORTED_MIN = 0.15  # posterior (over 97 languages) enough to take a supported language
_FOREIGN_MIN = 0.8  # and the certainty needed to say a message is in another language
_FOREIGN_MIN_WORDS = 3
_NEAREST_MIN = 0.9  # posterior among the supported languages only, to take the nearest one
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_WORDS = re.compile(r"\w+")
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # ISO 639-1, or "und"
    confidence: float

    @property
    def understood(self) -> bool:
        """Return whether Tandem reads this language (an undetermined one is given the benefit)."""
        return self.code in SUPPORTED or self.code == UNDETERMINED


@cache
def _identifier(*, supported_only: bool = False) -> Any:  # py3langid is untyped
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if supported_only:
        identifier.set_languages(list(SUPPORTED))
    return identifier


def identify(text: str) -> Language:
    """Return the language of text, ``und`` when the message is too short to tell."""
    if _HAN.search(text) and not _KANA_HANGUL.search(text):
        return Language("zh", 1.0)
    with _lock:
        code, probability = _identifier().classify(text)
    confidence = float(probability)
    if code in SUPPORTED and confidence >= _SUPPORTED_MIN:
        return Language(code, confidence)
    long_enough = len(_WORDS.findall(text)) >= _FOREIGN_MIN_WORDS or bool(_KANA_HANGUL.search(text))
    if code not in SUPPORTED and confidence >= _FOREIGN_MIN and long_enough:
        return Language(code, confidence)
    if long_enough:
        with _lock:
            near, near_probability = _identifier(supported_only=True).classify(text)
        if float(near_probability) >= _NEAREST_MIN:
            return Language(str(near), float(near_probability))
    return Language(UNDETERMINED, confidence)
