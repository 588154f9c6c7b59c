"""A learned reading of one-time codes that no phrase announces, beside the code rules.

The rules of :mod:`tandem.privacy.redaction` find a code after "verification code", "OTP",
"验证码" and, in a message about a code, any bare number of 4 to 8 digits. Customers also
write "just got a text: 551203" or "typed 4471 three times and now I'm locked out". A logistic
model scores every code-shaped run of the message (4 to 8 digits, digit groups such as
"318 460", backup codes such as "7K2M-9QXP") from its shape (length, digits, letters, groups, a
year or a time of day) and its surroundings: the words just before and after it and the words
of the message (digits folded to 0, hashed), whether a word about a code, a code that is no
secret ("discount code") stands near it, and what the message means around it: its sentence
vector with the run masked ("[#] kwam binnen via een spraakbericht"), which reads "it came by
voice message" in any language the encoder knows, where hashed words know only the words the
sets used. It was
trained by ``tandem privacy train-codes`` on the labelled redaction sets
(``benchmarks/data/redaction*/``) and its weights are a JSON file (no pickle).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tandem.core.logistic import LogisticWeights, WeightsError
from tandem.nlu.encoder import DEFAULT_ENCODER, SentenceEncoder, load_encoder
from tandem.privacy import context_words
from tandem.privacy.context_words import HASHED, folded_at, hashed_scores
from tandem.privacy.lexicon import HOURS, Folded, Lexicon, after_mask, names_other_number

MODEL_PATH = Path(__file__).parent / "models" / "codes.json"
Span = tuple[int, int]
# Code-shaped runs: 4 to 8 digits, two or three groups of digits, or letters with digits.
# A letter or digit, but not a Chinese, Japanese or Korean character: "收到了8816" is a code
# glued to the words around it, as Chinese is written.
GLUED = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
CODE_SHAPE = re.compile(
    rf"(?<!{GLUED})(?<![./:,+#€$£_-])(?<![0-9][ \-])"  # not inside a longer number: a phone
    rf"(?:[0-9]{{2,4}}(?:[ \-][0-9]{{2,4}}){{1,2}}|[0-9]{{4,8}}"
    r"|(?=[A-Za-z0-9]*-?[A-Za-z0-9]*[0-9])[A-Za-z0-9]{3,4}-[A-Za-z0-9]{3,4}"
    r"|(?=[A-Za-z]{0,3}[0-9])[A-Za-z0-9]{4} (?=[A-Za-z]{0,3}[0-9])[A-Za-z0-9]{4}"
    r"|(?=[A-Za-z]*[0-9])(?=[0-9]*[A-Za-z])[A-Za-z0-9]{4,8})"
    rf"(?!{GLUED}|[/:%€$£_]|[.,-][0-9]|[ \-][0-9]{{2}})"
)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
MAX_CHARACTERS = 8  # a one-time code has 4 to 8 letters or digits, separators aside
_WORDLIKE = re.compile(r"[A-Za-z]{3,}[0-9]+|[0-9]+[A-Za-z]{3,}")
_CLOCK = re.compile(r"[0-2]?[0-9][hH][0-5][0-9]")  # "à 18h02"
_SIZE = re.compile(r"[0-9]+[xX][0-9]+")  # "KALLAX 77x147"
# Polish and Portuguese postcodes ("00-590 Warszawa", "1250-140 Lisboa"): no code is split so.
_POSTCODE = re.compile(r"[0-9]{2}-[0-9]{3}|[0-9]{4}-[0-9]{3}")
# A word naming another number ("order") rules a run out with at most this many words between.
CODE_NAMED_WITHIN_WORDS = 4
_SEPARATORS = re.compile(r"[ \-]")
_NEAR = 999
MASK = "[#]"  # stands for the run in the message the encoder reads
# The sentence vector's weight beside the standardised shape features: 1, 2, 3 and 6 were
# compared holding out each studied set in turn (v1 to v15); 2 found the most codes for its
# false redactions (1,104 of 1,170 codes, 13 of 6,179 messages; without the vector 1,063, 11).
MEANING_SCALE = 2.0

FEATURES: tuple[str, ...] = (
    "length",
    "digits_only",
    "grouped",
    "has_letters",
    "six_characters",
    "four_characters",
    "year",
    "time_of_day",
    "code_word_in_message",
    "code_word_within_20_before",
    "code_word_within_60_before",
    "code_word_within_30_after",
    "not_a_code_phrase_before",
    "colon_before",
    "password_word_in_message",
    "short_message",
    "log_words",
)


def candidates(folded: Folded, lexicon: Lexicon) -> list[Span]:
    """The code-shaped runs of the original text that nothing says are something else: not a
    word with digits ("SUMMER24", a promotion), a time, a size or a postcode, nor the end of a
    masked number, nor a number after a bracketed area code or a word naming another number
    ("order", "phone"), as the rules decide."""
    found = []
    for match in CODE_SHAPE.finditer(folded.original):
        compact = _SEPARATORS.sub("", match.group())
        # Groups of more than eight digits are a phone or a reference: "06 2819 7304".
        if len(compact) > MAX_CHARACTERS or _WORDLIKE.fullmatch(compact):
            continue
        if not ruled_out(folded, lexicon, match.start(), match.end()):
            found.append(match.span())
    return found


def ruled_out(folded: Folded, lexicon: Lexicon, start: int, end: int) -> bool:
    """Say whether a run of the original text is something else by its shape, or by the words
    before it: a bracketed area code ("(01) 316 4859") or a word naming another number."""
    if something_else(folded.original, start, end):
        return True
    at = folded_at(folded, start)
    return folded.text[:at].rstrip().endswith(")") or names_other_number(
        folded.text,
        at,
        lexicon,
        max_words=CODE_NAMED_WITHIN_WORDS,
        value=folded.original[start:end],
    )


def something_else(original: str, start: int, end: int) -> bool:
    """Say whether a code-shaped run is by its shape something else: a time ("18h02",
    "7am-1pm"), a size ("77x147"), a postcode ("00-590 Warszawa") or the end of a masked number
    ("•••• 1199")."""
    value = original[start:end]
    return any(p.fullmatch(value) for p in (_CLOCK, HOURS, _SIZE, _POSTCODE)) or after_mask(
        original, start
    )


def features(folded: Folded, lexicon: Lexicon, span: Span) -> list[float]:
    """The shape and nearby phrases of one run, in the order of ``FEATURES``."""
    value = folded.original[span[0] : span[1]]
    compact = _SEPARATORS.sub("", value)
    text = folded.text
    start = folded_at(folded, span[0])
    end = start + (span[1] - span[0])
    blocked = [m.span() for m in lexicon.not_code.finditer(text)]
    about = [
        m
        for m in lexicon.code_context.finditer(text)
        if not any(a < m.end() and m.start() < b for a, b in blocked)
    ]
    before = min((start - m.end() for m in about if m.end() <= start), default=_NEAR)
    after = min((m.start() - end for m in about if m.start() >= end), default=_NEAR)
    words = len(folded.original.split())
    clock = compact.isdigit() and len(compact) == 4 and int(compact[:2]) < 24
    return [
        len(compact) / 8,
        float(compact.isdigit()),
        float(value != compact),
        float(any(c.isalpha() for c in compact)),
        float(len(compact) == 6),
        float(len(compact) == 4),
        float(_YEAR.fullmatch(compact) is not None),
        float(clock and int(compact[2:]) < 60),
        float(bool(about)),
        float(before <= 20),
        float(before <= 60),
        float(after <= 30),
        float(lexicon.not_code.search(text[max(0, start - 30) : start]) is not None),
        float(":" in folded.original[max(0, span[0] - 3) : span[0]]),
        float(lexicon.password_word.search(text) is not None),
        float(words <= 3),
        float(np.log(words + 1)),
    ]


def context(folded: Folded, span: Span) -> str:
    """The words around a run and of the whole message, digits folded, marked by position."""
    return context_words.context(folded, span[0], span[1])


def masked(original: str, span: Span) -> str:
    """The message with the run replaced by ``MASK``: what its sentence vector reads."""
    return original[: span[0]] + MASK + original[span[1] :]


def meaning(encoder: SentenceEncoder, folded: Folded, spans: list[Span]) -> NDArray[np.float64]:
    """The sentence vector of the message around each run, weighted by ``MEANING_SCALE``."""
    vectors = encoder.encode([masked(folded.original, s) for s in spans])
    return np.asarray(vectors, dtype=np.float64) * MEANING_SCALE


@dataclass(frozen=True)
class CodeModel:
    shape: LogisticWeights  # over FEATURES (its intercept is the model's)
    words: NDArray[np.float64]  # one weight per hashed column
    meaning: NDArray[np.float64]  # one weight per dimension of the encoder's sentence vector
    threshold: float
    trained_on: str = ""
    encoder: str = DEFAULT_ENCODER  # the encoder whose vectors ``meaning`` weighs

    def probability(
        self, matrix: NDArray[np.float64], texts: list[str], vectors: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        z = ((matrix - self.shape.mean) / self.shape.scale) @ self.shape.coefficients
        z = z + hashed_scores(texts, self.words) + vectors @ self.meaning + self.shape.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def sentence_encoder(self) -> SentenceEncoder:
        return load_encoder(self.encoder)

    def to_json(self) -> dict[str, Any]:
        return {
            "shape": self.shape.as_json(),
            "words": [round(float(w), 6) for w in self.words],
            "encoder": self.encoder,
            "meaning": [round(float(w), 6) for w in self.meaning],
            "threshold": self.threshold,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CodeModel:
        try:
            shape = LogisticWeights.from_json(data["shape"])
            words = np.asarray(data["words"], dtype=np.float64)
            meaning = np.asarray(data["meaning"], dtype=np.float64)
            encoder = str(data["encoder"])
        except (WeightsError, KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f"the code model is damaged ({error}); rebuild it with `tandem privacy train-codes`"
            ) from error
        if shape.features != FEATURES or words.shape != (HASHED,) or meaning.ndim != 1:
            raise ValueError(
                "the code model was trained on other features; rebuild it with "
                "`tandem privacy train-codes`"
            )
        threshold, trained_on = float(data["threshold"]), str(data.get("trained_on", ""))
        return cls(shape, words, meaning, threshold, trained_on, encoder)


@cache
def load_code_model(path: Path = MODEL_PATH) -> CodeModel:
    return CodeModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def scored_codes(folded: Folded, lexicon: Lexicon, model: CodeModel) -> list[tuple[Span, float]]:
    """Every code-shaped run with the model's probability that it is a one-time code."""
    spans = candidates(folded, lexicon)
    if not spans:
        return []
    matrix = np.array([features(folded, lexicon, s) for s in spans], dtype=np.float64)
    vectors = meaning(model.sentence_encoder(), folded, spans)
    probability = model.probability(matrix, [context(folded, s) for s in spans], vectors)
    return list(zip(spans, probability.tolist(), strict=True))
