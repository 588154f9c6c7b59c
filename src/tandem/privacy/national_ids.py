"""National identity and tax numbers in customer messages, by format and check digit.

Supported (validated by ``python-stdnum``): the Dutch BSN, the Belgian national register
number, the German tax id (Steuer-IdNr), the French NIR, the Italian codice fiscale, the
Spanish DNI and NIE, the Portuguese NIF and Cartão de Cidadão, the Polish PESEL, the Swiss AHV
number, the US Social Security number and the Chinese resident identity card number.

A number counts only when it passes its format's check (a random 9- or 11-digit number rarely
does), with any spaces, dots, dashes or slashes inside, and possibly glued to a word
("BSN123456782"). A word that names another number just before it ("order", "Telefon",
"tracking") rules it out, unless an identity word ("BSN", "DNI", "身份证") is nearer. A US Social
Security number written as nine bare digits (most nine-digit numbers pass its check) counts
only after such a word; written 123-45-6789 it counts on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from stdnum.be import nn
from stdnum.ch import ssn as ahv
from stdnum.cn import ric
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.pt import cc, nif
from stdnum.us import ssn

from tandem.privacy.lexicon import CONTEXT_WINDOW, Folded, Lexicon, nearest_verdict
from tandem.privacy.secret import SecretKind

Validator = Callable[[str], bool]


# Digits only, by length: every format that may be written as that many digits.
def _pesel(digits: str) -> bool:
    """A PESEL of someone born before 2100: "0171..." encodes a date in the 23rd century."""
    return pesel.is_valid(digits) and pesel.get_birth_date(digits).year < 2100


def _personal_nif(digits: str) -> bool:
    """A Portuguese NIF of a person (1-3, or 45 for non-residents); 5 and 6 are companies'
    and public bodies', and nine digits starting with 9 are mostly mobile phone numbers."""
    return (digits[0] in "123" or digits.startswith("45")) and nif.is_valid(digits)


_BY_LENGTH: dict[int, tuple[Validator, ...]] = {
    9: (bsn.is_valid, _personal_nif),
    11: (_pesel, idnr.is_valid, nn.is_valid),
    13: (ahv.is_valid,),
    15: (nir.is_valid,),
}
_SSN_FORMATTED = re.compile(r"[0-9]{3}-[0-9]{2}-[0-9]{4}")
# Nine bare digits are a Social Security number only right after its own name.
_SSN_NAME = re.compile(
    r"\b(?:ssn|social security|i?tin|taxpayer identification number)\b[^0-9]{0,30}$"
)

# Formats with letters, matched on the case-folded text, with separators allowed where people
# write them. A strong format (its letters and check make it unmistakable) counts even after
# a word such as "order"; a DNI-like "12345678z", a Cartao de Cidadao or a Chinese resident id
# (eighteen digits, like many parcel numbers) does not.
_CF = "[0-9lmnpqrstuv]"  # omocodia: a digit of a codice fiscale may be replaced by a letter


@dataclass(frozen=True, slots=True)
class _Shape:
    pattern: re.Pattern[str]
    valid: Validator
    strong: bool


_ALPHANUMERIC: tuple[_Shape, ...] = tuple(
    _Shape(re.compile(pattern), valid, strong)
    for pattern, valid, strong in (
        # Codice fiscale: "RSSMRA85T10A562S", also "RSSMRA 85T10 A562S".
        (
            rf"[a-z]{{6}} ?{_CF}{{2}}[a-z]{_CF}{{2}} ?[a-z]{_CF}{{3}}[a-z](?![a-z0-9])",
            codicefiscale.is_valid,
            True,
        ),
        # DNI: "12345678Z", "12.345.678-Z".
        (
            r"(?<![0-9])[0-9]{1,2}\.?[0-9]{3}\.?[0-9]{3}[ \-.]?[a-z](?![a-z0-9])",
            dni.is_valid,
            False,
        ),
        # NIE: "X1234567L".
        (r"(?<![0-9a-z])[xyz][ \-.]?[0-9]{7}[ \-.]?[a-z](?![a-z0-9])", nie.is_valid, True),
        # Chinese resident id: eighteen digits like many parcel numbers, so not strong.
        (r"(?<![0-9])[0-9]{6}[ \-]?[0-9]{8}[ \-]?[0-9]{3}[0-9x](?![a-z0-9])", ric.is_valid, False),
        # Cartao de Cidadao: "00000000 0 ZZ4".
        (r"(?<![0-9])[0-9]{8}[ \-]?[0-9][ \-]?[a-z0-9]{2}[0-9](?![a-z0-9])", cc.is_valid, False),
    )
)
_SEPARATORS = re.compile(r"[ \-.]")

_DIGIT_RUN = re.compile(r"[0-9]+(?:[ \t\-./]{1,2}[0-9]+)*")
_NOT_DIGIT = re.compile(r"[^0-9]")

_Found = Iterator[tuple[SecretKind, int, int]]


def national_ids(folded: Folded, lexicon: Lexicon) -> _Found:
    """Yield (NATIONAL_ID, start, end) in folded coordinates, longest candidates first."""
    text = folded.text
    found: list[tuple[int, int]] = []

    def claim(start: int, end: int) -> bool:
        if any(start < e and s < end for s, e in found):
            return False
        found.append((start, end))
        return True

    for shape in _ALPHANUMERIC:
        for match in shape.pattern.finditer(text):
            start, end = match.span()
            if _glued_to_a_word(text, start, lexicon):
                continue  # "xyzrssmra...": letters of a longer word, unless "CF" before
            if not shape.valid(_SEPARATORS.sub("", match.group())):
                continue
            if not shape.strong and _context(text, start, lexicon) is False:
                continue
            if claim(start, end):
                yield SecretKind.NATIONAL_ID, start, end
    for run in _DIGIT_RUN.finditer(text):
        start, end = run.span()
        if _is_identity_number(text, start, end, lexicon) and claim(start, end):
            yield SecretKind.NATIONAL_ID, start, end


def _is_identity_number(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Say whether a whole run of digits is an identity number; a part of a longer number (an
    IBAN's or a phone number's digits) never is."""
    if text[max(0, start - 2) : start].strip().endswith("+"):
        return False  # "+31 6 1234 5678": a phone number in international form
    if end < len(text) and _latin(text[end]):
        return False  # "LX402141416GB", "NL123456789B01": a parcel or VAT number
    if _context(text, start, lexicon) is False or _glued_to_a_word(text, start, lexicon):
        return False  # "order 123...", "DE123456789" (VAT); "BSN123456782" counts
    ssn_named = _SSN_NAME.search(text, max(0, start - CONTEXT_WINDOW), start) is not None
    written = text[start:end]
    return _valid(_NOT_DIGIT.sub("", written), written, ssn_named=ssn_named)


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _glued_to_a_word(text: str, start: int, lexicon: Lexicon) -> bool:
    """Say whether Latin letters other than an identity word run into start ("DE123...");
    Chinese characters do not ("身份证号是420106...")."""
    if not start or not _latin(text[start - 1]):
        return False
    window = max(0, start - CONTEXT_WINDOW)
    return not any(m.end() == start for m in lexicon.national_id.finditer(text, window, start))


def _valid(digits: str, written: str, *, ssn_named: bool) -> bool:
    if any(valid(digits) for valid in _BY_LENGTH.get(len(digits), ())):
        return True  # a card number that is also one was claimed by the card finder first
    if len(digits) == 9 and ssn.is_valid(digits):
        return ssn_named or bool(_SSN_FORMATTED.fullmatch(written))
    return False


def _context(text: str, start: int, lexicon: Lexicon) -> bool | None:
    """Say whether an identity word (True) or another number's word (False) leads up to start."""
    window = max(0, start - CONTEXT_WINDOW)
    names = [m.span() for m in lexicon.national_id.finditer(text, window, start)]
    # "id card" names another number for cards; here the identity word wins.
    others = [
        m.span()
        for pattern in (lexicon.not_card, lexicon.code_context)  # "order", "Telefon", "code"
        for m in pattern.finditer(text, window, start)
        if not any(s < m.end() and m.start() < e for s, e in names)
    ]
    return nearest_verdict(text, start, against=others, for_=names)
