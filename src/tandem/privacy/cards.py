"""Card numbers in a customer message: 12 to 19 digits that pass the Luhn check, with any
separators, and a word before them or a card's shape (see :mod:`tandem.privacy.redaction`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn

from tandem.privacy.lexicon import CONTEXT_WINDOW, Folded, Lexicon, nearest_verdict, phone_shaped
from tandem.privacy.secret import SecretKind

_DIGIT_RUN = re.compile(r"[0-9]+(?:(?:[ \t\-./\\_–—]|\r?\n){1,3}[0-9]+)*")
_DIGITS = re.compile(r"[0-9]+")
SPLIT_GAP = 80  # characters between the halves of a card number typed in two goes
CONTEXT_WORDS = 4  # words between a naming phrase ("order", "Karte") and the number it names
# For a number written as a card, another number's word counts only right before it, or with
# a word for "number" between: "gift card no. 6006 4912 ...", not "on the account is 4147 ...".
NUMBER_WORD = re.compile(r"(?:no|nr|n[°º]|num|number|nummer|numero|número|numer|#)\.?:?")
# What comes with a card after its number: an expiry date ("validade 07/28", "exp 3/2029") or
# a security code's word ("CVV 915"), within DETAILS_WINDOW characters.
_EXPIRY = re.compile(
    r"(?<![0-9/.\-])(?:0?[1-9]|1[0-2]) ?[/\-] ?(?:[0-9]{2}|20[0-9]{2})(?![0-9/.\-])"
)
DETAILS_WINDOW = 40
_CARD_HALF = re.compile(r"[0-9]{4} [0-9]{4}")  # half a card as printed: two groups of four


def cards(folded: Folded, lexicon: Lexicon) -> Iterator[tuple[SecretKind, int, int]]:
    """Each card number in the folded text, as (CARD, start, end)."""
    text = folded.text
    unclaimed: list[tuple[int, int]] = []  # runs with no card in them
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            (run.start() + m.start(), run.start() + m.end()) for m in _DIGITS.finditer(run[0])
        ]
        phone_end = run.start()  # "+44 20 7946 0958": a phone number up to the line's end
        if text[max(0, run.start() - 2) : run.start()].strip().endswith("+"):
            newline = run[0].find("\n")
            phone_end = run.end() if newline < 0 else run.start() + newline
        found = _best_cards(text, groups, lexicon, phone_end=phone_end)
        for first, last in found:
            yield SecretKind.CARD, groups[first][0], groups[last][1]
        if not found and phone_end == run.start():
            unclaimed.append(run.span())
    for start, end in _split_card(text, unclaimed, lexicon):
        yield SecretKind.CARD, start, end


def _split_card(text: str, runs: list[tuple[int, int]], lexicon: Lexicon) -> list[tuple[int, int]]:
    """The two halves of a card number typed apart in a message about a card: "card number is
    5398 8561 and then, sorry, can't find my glasses, 1740 5732". Each half has 4 to 10
    digits, together they pass the Luhn check and start as their network's cards do, at most
    ``SPLIT_GAP`` characters lie between them, and no other number's word names either.

    With no word for a card, the halves must be written as a card's are (two groups of four
    each: "4201 8960… attendez… 3052 4185") or an expiry date or security code must follow."""
    about_a_card = _names_a_card(text, lexicon)
    digits = [re.sub(r"[^0-9]", "", text[start:end]) for start, end in runs]
    for i in range(len(runs) - 1):
        first, second = digits[i], digits[i + 1]
        if not (4 <= len(first) <= 10 and 4 <= len(second) <= 10):
            continue
        joined = first + second
        if not (
            about_a_card
            or _details_follow(text, runs[i + 1][1], lexicon)
            or all(_CARD_HALF.fullmatch(text, *runs[j]) for j in (i, i + 1))
        ):
            continue
        if (
            runs[i + 1][0] - runs[i][1] <= SPLIT_GAP
            and 13 <= len(joined) <= 19
            and luhn.is_valid(joined)
            and _issuer_allows(joined)
            and all(_context(text, runs[j][0], lexicon) is not False for j in (i, i + 1))
        ):
            return [runs[i], runs[i + 1]]
    return []


def _details_follow(text: str, end: int, lexicon: Lexicon) -> bool:
    """Say whether an expiry date or a security code's word follows a number ending at end."""
    after = text[end : end + DETAILS_WINDOW]
    cvv = next(rule.trigger for rule in lexicon.codes if rule.cvv)
    return _EXPIRY.search(after) is not None or cvv.search(after) is not None


def _best_cards(
    text: str, groups: list[tuple[int, int]], lexicon: Lexicon, *, phone_end: int
) -> list[tuple[int, int]]:
    """Return the (first, last) groups of each card number in a run of digit groups."""
    scored: list[tuple[tuple[bool, bool, int], int, int]] = []
    contexts: dict[tuple[int, bool], bool | None] = {}
    for first in range(len(groups)):
        if groups[first][0] < phone_end:
            continue
        digits = ""
        for last in range(first, len(groups)):
            digits += text[groups[last][0] : groups[last][1]]
            if len(digits) > 19:
                break
            lengths = tuple(end - start for start, end in groups[first : last + 1])
            if len(digits) < 12 or not luhn.is_valid(digits):
                continue
            if _continues(groups, first, last, len(digits)):
                continue
            # Longer than any phone number (E.164: 15 digits), it is named by no phone word.
            phone = phone_shaped(digits)
            if (first, phone) not in contexts:
                contexts[first, phone] = _context(text, groups[first][0], lexicon, phone=phone)
            context = contexts[first, phone]
            if context is not True and _details_follow(text, groups[last][1], lexicon):
                # "Cartão para a encomenda: 4716 0635 6298 4091, validade 07/28, CVV 915": the
                # expiry date and security code make it a card, whatever word names it.
                context = _issuer_allows(digits) or None
            if context is False and _written_as_a_card(digits, lengths):
                # "saved his card on my account by mistake (5572-5715-6990-9549)": written
                # as a card, a number is another only when the other word names it directly.
                context = _context(
                    text, groups[first][0], lexicon, max_words=1, only=NUMBER_WORD, phone=phone
                )
                if context is False and _card_before_other(text, groups[first][0], lexicon):
                    context = None  # "card for the laptop order: 6212 ...": the card's purpose
            if context is False or (
                context is None
                and not _looks_like_card(digits, lengths)
                and not (_issuer_allows(digits) and _names_a_card(text, lexicon))
            ):
                continue
            # Longest wins among equals: a 19-digit card may start with a valid 16-digit one.
            score = (_card_like(lengths), _issuer_allows(digits), len(digits))
            scored.append((score, first, last))
    chosen: list[tuple[int, int]] = []
    for _, first, last in sorted(scored, reverse=True):
        if all(last < start or end < first for start, end in chosen):
            chosen.append((first, last))
    return chosen


def _names_a_card(text: str, lexicon: Lexicon) -> bool:
    """Say whether the message speaks of a card anywhere, not inside another number's phrase.

    There digits of a length their network issues are a card whatever their length or groups:
    "why was 4094100141026 refused? it's an old card" (13 digits, as a barcode has), "typed it
    from the photo of the card: 4262 3102 1786 18 95"."""
    others = [m.span() for m in lexicon.not_card.finditer(text)]
    return any(
        not any(s < m.end() and m.start() < e for s, e in others)
        for m in lexicon.card.finditer(text)
    )


def _continues(groups: list[tuple[int, int]], first: int, last: int, size: int) -> bool:
    """Say whether a run of 4-digit groups goes on: a valid part of a longer invalid number."""

    def four(index: int) -> bool:
        return 0 <= index < len(groups) and groups[index][1] - groups[index][0] == 4

    edge = (four(first - 1) and four(first)) or (four(last + 1) and four(last))
    return edge and size + 4 <= 19


def _context(
    text: str,
    start: int,
    lexicon: Lexicon,
    *,
    max_words: int = CONTEXT_WORDS,
    only: re.Pattern[str] | None = None,
    phone: bool = True,
) -> bool | None:
    """Say whether a card word (True) or another number's word (False) leads up to start,
    with at most ``max_words`` words between them (each matching ``only``, when given).
    Without ``phone``, words that name a phone number do not count."""
    window = max(0, start - CONTEXT_WINDOW)
    named = [m.span() for m in lexicon.card.finditer(text, window, start)]
    others = [
        m.span()
        for m in lexicon.not_card.finditer(text, window, start)
        if (phone or not lexicon.phone.fullmatch(text, *m.span()))
        and not _names_the_card(text, m.span(), named)
    ]
    # "loyalty card number": a card word inside another number's phrase does not count.
    cards = [span for span in named if not any(s < span[1] and span[0] < e for s, e in others)]
    return nearest_verdict(text, start, against=others, for_=cards, max_words=max_words, only=only)


def _card_before_other(text: str, start: int, lexicon: Lexicon) -> bool:
    """Say whether a card word leads up to the other number's word nearest before start: "my
    UnionPay card for the laptop order: 6212 ..." names the card's purpose, not the number."""
    others = list(lexicon.not_card.finditer(text, max(0, start - CONTEXT_WINDOW), start))
    return bool(others) and _context(text, others[-1].start(), lexicon) is True


def _names_the_card(text: str, other: tuple[int, int], cards: list[tuple[int, int]]) -> bool:
    """Say whether another number's phrase ending in a card word is part of a card's name,
    right after a card word: "Diners Club card", "Visa gift card" (a prepaid card's number)."""
    start, end = other
    return any(e == end for _s, e in cards) and any(
        e <= start and not text[e:start].strip() for _s, e in cards
    )


def _written_as_a_card(digits: str, lengths: tuple[int, ...]) -> bool:
    """Groups as printed on a card (4-4-4-4, Amex 4-6-5) and a length its network issues."""
    return len(lengths) > 1 and _card_like(lengths) and _issuer_allows(digits)


def _looks_like_card(digits: str, lengths: tuple[int, ...]) -> bool:
    """Say whether digits with no word before them read as a card number on their own."""
    if not _issuer_allows(digits):
        return False
    if len(lengths) > 1:
        return _card_like(lengths)
    # One block of 12, 13 (EAN-13), 17 or 18 digits is more often a barcode, phone or parcel.
    return len(digits) in (14, 15, 16, 19)


def _card_like(lengths: tuple[int, ...]) -> bool:
    if lengths in ((4, 6, 5), (4, 6, 4), (8, 8), (4, 3, 3, 3)):  # Amex, Diners, halves, Visa 13
        return True
    return all(n == 4 for n in lengths[:-1]) and 1 <= lengths[-1] <= 4


def _issuer_allows(digits: str) -> bool:
    """Say whether a card network issues numbers with these first digits and this length."""
    size, two, four = len(digits), int(digits[:2]), int(digits[:4])
    if digits[0] == "4":  # Visa
        return size in (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:  # Mastercard
        return size == 16
    if two in (34, 37):  # American Express
        return size == 15
    if two in (30, 36, 38, 39):  # Diners Club
        return 14 <= size <= 19
    if two == 35 or 2200 <= four <= 2204:  # JCB, Mir
        return 16 <= size <= 19
    return digits[0] in "56"  # Maestro, Discover, UnionPay, RuPay: 12 to 19 digits
