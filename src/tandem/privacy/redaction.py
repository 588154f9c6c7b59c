"""Find and remove secrets in customer messages: card numbers, IBANs, passwords, one-time codes,
national identity numbers.

- Card numbers: 12 to 19 digits that pass the Luhn check, with any separators between them
  (spaces, no-break spaces, dashes, dots, slashes, mixed or repeated, a line break) and
  possibly glued to letters
  ("card4111111111111111"). Without a word such as "card" or "Karte" just before, the number
  must also start like a card of its length (Visa 16 or 19 digits, Amex 15, ...) and be written
  as one block or in card-like groups, so order, tracking and phone numbers, EAN-13 barcodes
  and dates stay. A word such as "order" or "IMEI" just before rules a number out; a number
  written as a card (4-4-4-4 or Amex 4-6-5 groups, a length its network issues) only when
  that word names it directly ("tracking: ...", "loyalty card number ..."), not from a few
  words away ("saved his card on my account by mistake (5555-5555-5555-4444)"). A word for a
  phone never names more than 15 digits (E.164), and "club card" or "gift card" after a card
  network's name ("Diners Club card") is a card. In a message about a card, a number typed in
  two halves ("5398 8561 ... sorry ... 1740 5732") is one when the halves together pass.
- IBANs: compact or grouped, any case, with a valid mod-97 checksum and national format
  (country-specific bank checks are skipped: a typo there is still someone's account). A
  Polish account number written without "PL" counts too.
- Passwords: the word (or quoted words) after "my password is", "password:", "Passwort:",
  "密码是" and the like, unless it describes the password ("my password is not working");
  after the bare word ("the password I used was X", "log in with password X", "pw X") only
  when X has letters and digits or a symbol, so "the password manager is great" stays. Such a
  word also counts after "or maybe" right behind a password, after "changed it to" once a
  password was named, and before "as password". In a message that names a password anywhere,
  a word that can only be one (letters and digits with a symbol or both cases, not shaped like
  an order number, date, e-mail address or link) counts too. Last, a learned model reads each
  word's shape and surroundings (:mod:`tandem.privacy.password_model`): "login: sarah.k /
  Sk!2019sk", "tried letmein2024, neither works".
- One-time codes: 4 to 8 characters with a digit after "verification code", "OTP", "2FA",
  "验证码" and the like, or before "is my code"; not a discount, error or postal code. In a
  message about a code ("code", "SMS", "authenticator"...), any other bare number of 4 to 8
  digits too, unless a word before it names another number (order, phone, price...). Last, a
  learned model reads each code-shaped run's shape and surroundings
  (:mod:`tandem.privacy.code_model`): "just got a text: 551203". A number of digits found so,
  without a phrase naming it, is then read by a third model as a PIN the customer keeps (a
  password) or a code sent to them (:mod:`tandem.privacy.pin_model`): "the app wants its six
  digits, I put 750318 and it spins" is a PIN.

- National identity and tax numbers: the formats of :mod:`tandem.privacy.national_ids`, each
  with a valid check digit, unless a word such as "order" or "phone" names the number.

Only the secret is replaced: "exp 12/26" after a card number stays. A card verification value
explicitly labelled ("cvv 123", "código de seguridad 1234") is removed too (kind CVV), because
it must never be stored; an unlabelled three-digit number next to a card number stays.

The words around secrets are data (``data/secret_phrases.yaml``), read and validated once on
first use. Everything else is pure: no clock, no network, no state between calls. Phrases match
after case folding and accent removal, as whole words (anywhere for Chinese).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban
from stdnum.iso7064 import mod_97_10

from tandem.privacy.cards import cards
from tandem.privacy.code_model import (
    GLUED,
    MAX_CHARACTERS,
    load_code_model,
    ruled_out,
    scored_codes,
)
from tandem.privacy.lexicon import (
    QUOTES,
    CodeRule,
    Folded,
    Lexicon,
    load_lexicon,
    names_other_number,
)
from tandem.privacy.national_ids import national_ids
from tandem.privacy.password_model import (
    NAMED_WITHIN_WORDS,
    NOT_PASSWORD_SHAPE,
    WORD,
    has_variant,
    keyed_words,
    load_password_model,
    scored_words,
)
from tandem.privacy.password_model import candidates as password_candidates
from tandem.privacy.pin_model import NUMBER, kept, load_pin_model
from tandem.privacy.plain_word_model import load_plain_word_model, reread
from tandem.privacy.secret import MARKERS, Redaction, SecretKind

__all__ = ["MARKERS", "Redaction", "SecretKind", "find_secrets", "redact"]


def find_secrets(text: str, *, learned: bool = True) -> list[Redaction]:
    """Return the secrets in text as sorted, non-overlapping spans of the original text.

    A card verification value labelled as such ("cvv 123") comes back as a CVV. ``learned``
    False leaves out the password and code models (to measure the rules alone).
    """
    folded = Folded.of(text)
    lexicon = load_lexicon()
    found: list[Redaction] = []
    # Checksummed kinds claim their digits first, then labelled codes, then passwords.
    finders = (
        _ibans,
        cards,
        national_ids,
        _codes,
        _passwords,
        _codes_in_context,
        _passwords_in_context,
        *((_by_models,) if learned else ()),
    )
    announced: list[Redaction] = []  # codes a phrase names ("OTP", "PIN"): their kind stands
    for finder in finders:
        for kind, start, end in finder(folded, lexicon):
            redaction = folded.redaction(kind, start, end)
            if _add(found, redaction) and finder is _codes:
                announced.append(redaction)
    for redaction in _variants_of_passwords(folded, lexicon):
        _add(found, redaction)
    if learned:
        found = _pins_kept(folded, found, announced)
    return sorted(found, key=lambda r: r.start)


def _add(found: list[Redaction], redaction: Redaction) -> bool:
    if all(redaction.end <= r.start or r.end <= redaction.start for r in found):
        found.append(redaction)
        return True
    return False


def _pins_kept(
    folded: Folded, found: list[Redaction], announced: list[Redaction]
) -> list[Redaction]:
    """Numbers found as codes that the message says the customer keeps are passwords (PINs):
    "the app wants its six digits, I put 750318 and it spins" (:mod:`tandem.privacy.pin_model`).
    """
    numbers = [
        r
        for r in found
        if r.kind is SecretKind.CODE
        and r not in announced
        and NUMBER.fullmatch(folded.original, r.start, r.end)
    ]
    if not numbers:
        return found
    model = load_pin_model()
    verdicts = dict(
        zip(numbers, kept(folded, [(r.start, r.end) for r in numbers], model), strict=True)
    )
    return [Redaction(SecretKind.PASSWORD, r.start, r.end) if verdicts.get(r) else r for r in found]


def redact(text: str) -> tuple[str, list[Redaction]]:
    """Return text with every secret replaced by its marker, and the secrets' original spans."""
    redactions = find_secrets(text)
    parts: list[str] = []
    cursor = 0
    for redaction in redactions:
        parts += [text[cursor : redaction.start], MARKERS[redaction.kind]]
        cursor = redaction.end
    parts.append(text[cursor:])
    return "".join(parts), redactions


# Folding: matching runs on a case-folded, accent-free copy that maps back to the original.


_Found = Iterator[tuple[SecretKind, int, int]]
_IBAN_START = re.compile(r"(?<![0-9])[a-z]{2}[0-9]{2}")
_POLISH_ACCOUNT = re.compile(r"(?<![0-9a-z])[0-9]{2}(?:[ \-]?[0-9]){24}(?![0-9])")
_LATIN = re.compile(r"[a-z]")


def _ibans(folded: Folded, lexicon: Lexicon) -> _Found:
    text = folded.text
    for match in _IBAN_START.finditer(text):
        start = match.start()
        if start and _LATIN.match(text[start - 1]) and not text.endswith("iban", 0, start):
            continue
        chars, ends = _alphanumerics(text, start)
        for size in range(len(chars), 14, -1):
            candidate = chars[:size].upper()
            if mod_97_10.is_valid(candidate[4:] + candidate[:4]) and iban.is_valid(
                candidate, check_country=False
            ):
                yield SecretKind.IBAN, start, ends[size - 1]
                break
    for match in _POLISH_ACCOUNT.finditer(text):
        if iban.is_valid("PL" + re.sub(r"[ \-]", "", match.group()), check_country=False):
            yield SecretKind.IBAN, match.start(), match.end()


def _alphanumerics(text: str, start: int) -> tuple[str, list[int]]:
    """Return up to 34 letters and digits from start, across single separators, and their ends."""
    chars: list[str] = []
    ends: list[int] = []
    separators = 0
    for index in range(start, len(text)):
        char = text[index]
        if char.isascii() and char.isalnum():
            chars.append(char)
            ends.append(index + 1)
            separators = 0
        elif char in " \t\n-." and separators < 2:
            separators += 1
        else:
            break
        if len(chars) == 34:
            break
    return "".join(chars), ends


def _codes(folded: Folded, lexicon: Lexicon) -> _Found:
    text = folded.text
    blocked = [m.span() for m in lexicon.not_code.finditer(text)]
    for rule in lexicon.codes:
        for trigger in rule.trigger.finditer(text):
            if any(start < trigger.end() and trigger.start() < end for start, end in blocked):
                continue
            after = rule.after.match(text, trigger.end())
            if after and rule.accepts(after["value"]):
                if not lexicon.gap_stop.search(text, trigger.end(), after.start("value")):
                    yield _code_kind(rule, text, lexicon, blocked), *after.span("value")
                continue
            before = rule.before.search(text, max(0, trigger.start() - 40), trigger.start())
            if before and not rule.cvv and rule.accepts(before["value"]):
                yield _code_kind(rule, text, lexicon, blocked), *before.span("value")


def _code_kind(
    rule: CodeRule, text: str, lexicon: Lexicon, blocked: list[tuple[int, int]]
) -> SecretKind:
    """A CVV, a one-time code, or a PIN the customer keeps (a password) unless the message
    says it came as a one-time code."""
    if rule.cvv:
        return SecretKind.CVV
    if rule.kept and not any(
        not any(start < m.end() and m.start() < end for start, end in blocked)
        for m in lexicon.one_time.finditer(text)
    ):
        return SecretKind.PASSWORD
    return SecretKind.CODE


# A bare number that may be a one-time code: 4 to 8 digits, or groups of 2 to 4 ("969-531").
_BARE_CODE = re.compile(
    rf"(?<!{GLUED})(?<![./:,+#€$£_-])(?<![0-9][ \-])"
    rf"(?:[0-9]{{2,4}}(?:[ \-][0-9]{{2,4}}){{1,2}}|[0-9]{{4,8}})"
    rf"(?!{GLUED}|[/:%€$£_]|[.,-][0-9]|[ \-][0-9]{{2}})"
)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


def _codes_in_context(folded: Folded, lexicon: Lexicon) -> _Found:
    """In a message about a one-time code, every other bare number of 4 to 8 digits.

    "authenticator says 8244 2511", "the login code was 168712 but it expired, here's the new
    one: 235296". A number is spared when a word before it names another kind of number
    ("order", "tracking", "phone"...), when it is a year, or when it stands with a currency
    or unit.
    """
    text = folded.text
    blocked = [m.span() for m in lexicon.not_code.finditer(text)]
    about = [
        m
        for m in lexicon.code_context.finditer(text)
        if not any(start < m.end() and m.start() < end for start, end in blocked)
    ]
    if not about:
        return
    for match in _BARE_CODE.finditer(text):
        compact = re.sub(r"[ \-]", "", match.group())
        if not 4 <= len(compact) <= MAX_CHARACTERS or _YEAR.fullmatch(match.group()):
            continue
        original = folded.origin[match.start()], folded.origin[match.end() - 1] + 1
        if not ruled_out(folded, lexicon, *original):
            yield SecretKind.CODE, match.start(), match.end()


# In a message about a password, a word with letters and digits and a symbol, or upper and
# lower case letters with digits: "Summer2024!", "Vu3DLCjGwv", "k7#pQ2".
_STRONG_SECRET = re.compile(
    r"(?=\S*[0-9])(?=\S*[^\W\d_])(?:(?=\S*[^\w\s])|(?=\S*[A-Z])(?=\S*[a-z]))\S{6,64}"
)


def _passwords_in_context(folded: Folded, lexicon: Lexicon) -> _Found:
    """In a message that names a password, any other word that can only be one.

    "the password for the app, I think it's Tulip#2024 or so": the word must mix letters and
    digits with a symbol or with both cases, and not be shaped like an order number, a
    date, an e-mail address or a link, nor follow a word that names another number.
    """
    text, original = folded.text, folded.original
    if lexicon.password_word.search(text) is None:
        return
    for match in WORD.finditer(original):  # "密码是...，..." : not the whole sentence
        word = match.group().strip(QUOTES + "()[]{}<>,;.!?")
        if not word or not _STRONG_SECRET.fullmatch(word) or NOT_PASSWORD_SHAPE.fullmatch(word):
            continue
        start = match.start() + match.group().index(word)
        end = start + len(word)
        end = _through_bangs(original, end)  # "Shadow1988!": the ! stripped above
        folded_start = folded.origin.index(start) if start in folded.origin else None
        if folded_start is None:
            continue
        if names_other_number(
            text, folded_start, lexicon, max_words=NAMED_WITHIN_WORDS, value=word
        ):
            continue
        yield SecretKind.PASSWORD, folded_start, _folded_end(folded, end)


# A run that both models find likely enough, neither alone: "typed 4471 three times and now I'm
# locked out" reads as a PIN to one and as a code to the other. The two are exclusive, so their
# probabilities add up; held out set by set, a sum of 0.9 found 34 secrets for 7 false alarms in
# 5,579 messages (2026-12-07).
EITHER_THRESHOLD = 0.9


def _by_models(folded: Folded, lexicon: Lexicon) -> _Found:
    """The words the password model reads as passwords ("login: sarah.k / Sk!2019sk") or, for a
    plain word it is unsure of, the plain-word model does (:mod:`.plain_word_model`), the runs
    the code model reads as one-time codes ("just got a text: 551203"), then the runs both read
    as a secret of one kind or the other, as the likelier kind; a run both models claim goes to
    the surer."""
    passwords, codes = load_password_model(), load_code_model()
    scored = scored_words(folded, lexicon, passwords)
    by_word = {(w.start, w.end): p for w, p in scored}
    by_run = dict(scored_codes(folded, lexicon, codes))
    # A plain word told as the password ("my grandson wrote marmalade down, it doesn't work")
    # counts as one the password model found at its threshold, unless the code model is surer.
    for word in reread(folded, scored, passwords.threshold, load_plain_word_model()):
        if by_run.get((word.start, word.end), 0.0) < codes.threshold:
            by_word[word.start, word.end] = passwords.threshold
    for (start, end), probability in by_word.items():
        # A run both models claim goes to the surer: "entered 481920 and it says invalid".
        if by_run.get((start, end), 0.0) >= max(codes.threshold, probability):
            continue
        if probability >= passwords.threshold and start in folded.origin:
            end = _through_bangs(folded.original, end)  # "Papillon!"
            yield SecretKind.PASSWORD, folded.origin.index(start), _folded_end(folded, end)
    for (start, end), probability in by_run.items():
        if probability >= codes.threshold and start in folded.origin:
            yield SecretKind.CODE, folded.origin.index(start), _folded_end(folded, end)
    for span in by_word.keys() & by_run.keys():
        password, code = by_word[span], by_run[span]
        year = _YEAR.fullmatch(folded.original[span[0] : span[1]])  # "printed them in 2023"
        if password + code >= EITHER_THRESHOLD and not year and span[0] in folded.origin:
            kind = SecretKind.PASSWORD if password > code else SecretKind.CODE
            yield kind, folded.origin.index(span[0]), _folded_end(folded, span[1])


def _variants_of_passwords(folded: Folded, lexicon: Lexicon) -> Iterator[Redaction]:
    """Two spellings of one word, one with digits or symbols: the old and new password of
    "changed it from flamenco to Flamenc0!", the guesses of "tried pierogi and Pierogi1"."""
    if not keyed_words(folded.original):
        return
    text = folded.text
    words = []
    for word in password_candidates(folded, lexicon):  # not the user name
        at = folded.origin.index(word.start)
        label = lexicon.password_word.fullmatch(text, at, at + len(word.text))
        # Not a label ("password:"), nor a promotion ("gutscheincode HALLO15").
        if not label and not lexicon.not_code.search(text, max(0, at - 30), at):
            words.append(word)
    among = frozenset(w.text for w in words)
    for word in words:
        if has_variant(word.text, folded.original, among=among):
            end = _through_bangs(folded.original, word.end)  # "Licorne!"
            yield Redaction(SecretKind.PASSWORD, word.start, end)


def _through_bangs(original: str, end: int) -> int:
    """Extend a password read without its trailing "!"s over them: they may belong to it, and
    redacting a "!" that did not costs nothing."""
    while original[end : end + 1] == "!":
        end += 1
    return end


def _folded_end(folded: Folded, original_end: int) -> int:
    """The folded index just after the original character before ``original_end``."""
    last = original_end - 1
    index = len(folded.origin) - 1
    while index >= 0 and folded.origin[index] > last:
        index -= 1
    return index + 1


_TRAILING = ".,;:)]}>"
_LAST_WORD = re.compile(r"(?P<value>[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff]+)\s+$")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://|www\.")
# Letters with digits, or a symbol among letters or digits: "Summer2024", "Hund!", "pa$$";
# not an apostrophe, hyphen or dot ("isn't", "e-mail").
_LOOKS_SECRET = re.compile(r"[^\W\d_].*[0-9]|[0-9].*[^\W\d_]|\w[^\w\s'.,-]|[^\w\s'.,-]\w")
# At most two more plain words, then a word of that shape (read within the word, not across
# spaces), with no punctuation between: "stare było Wawel_Smok_61".
_SHAPED_NEXT = re.compile(
    r"(?:\s+[^\W\d_][\w'’]*){0,2}\s+(?=\S*(?:[^\W\d_]\S*[0-9]|[0-9]\S*[^\W\d_]|\w[^\w\s'.,-]))"
)


def _passwords(folded: Folded, lexicon: Lexicon) -> _Found:
    text = folded.text
    found: list[tuple[int, int]] = []
    for phrase, afters, strict in (
        (lexicon.password, (lexicon.password_value,), False),
        (lexicon.password_word, (lexicon.password_word_value, lexicon.password_word_direct), True),
    ):
        for match in phrase.finditer(text):
            for after in afters:  # "pw Estate_Gatto29 e ...": the copula may be a false lead
                value = after.match(text, match.end())
                if not value or (
                    strict and lexicon.gap_stop.search(text, match.end(), value.start("value"))
                ):
                    continue
                if span := _password(folded, value.span("value"), lexicon, strict=strict):
                    found.append(span)
                    break
    named = min((start for start, _ in found), default=None)
    for _start, end in list(found):  # "Rosie2001& or maybe liverpool319"
        other = lexicon.password_or.match(text, end)
        if other and (span := _password(folded, other.span("value"), lexicon, strict=True)):
            found.append(span)
    if named is not None:  # "... now I changed it to buster_27"
        for again in lexicon.password_again.finditer(text, named):
            value = lexicon.password_word_direct.match(text, again.end())
            if value and (span := _password(folded, value.span("value"), lexicon, strict=True)):
                found.append(span)
    for marker in lexicon.as_password.finditer(text):  # "i typed zaq12wsx as password"
        before = _LAST_WORD.search(text, max(0, marker.start() - 70), marker.start())
        if before and (span := _password(folded, before.span("value"), lexicon, strict=True)):
            found.append(span)
    for start, end in found:
        yield SecretKind.PASSWORD, start, end


def _password(
    folded: Folded, span: tuple[int, int], lexicon: Lexicon, *, strict: bool
) -> tuple[int, int] | None:
    """Return the span of the password in a value span, without trailing punctuation."""
    text, (start, end) = folded.text, span
    if text[start] not in QUOTES:
        while end > start and text[end - 1] in _TRAILING and not _opens(text[start:end]):
            end -= 1
    if end == start or _aside(text[start:end]):
        return None
    value, original = text[start:end], folded.source(start, end)
    if not _is_password(value, original, lexicon):
        return None
    if _LOOKS_SECRET.search(original):
        return start, end
    # A plain word with a password's shape right after it is a word of the sentence: "hasło:
    # stare było Wawel_Smok_61" (old was), "la password è sempre stata Gondola.Rialto.36".
    return None if strict or _SHAPED_NEXT.match(text, end) else (start, end)


_CLOSES = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _aside(token: str) -> bool:
    """Say whether a token opens a bracket it does not close: "password (his own choice): ..."
    goes on with an aside, not with the password."""
    return token[0] in _CLOSES and _CLOSES[token[0]] not in token


def _opens(token: str) -> bool:
    """Say whether the closing bracket ending token closes one opened inside it."""
    return any(token[-1] == closing and opening in token for opening, closing in _CLOSES.items())


def _is_password(value: str, original: str, lexicon: Lexicon) -> bool:
    """Say whether a folded value (and its original spelling) reads as a password."""
    core = value.strip(QUOTES)
    if (
        len(core) < 3
        or not any(c.isalnum() for c in core)
        or core.rstrip("!?.") in lexicon.not_password
        or _URL.match(core)  # "password reset link: https://..."
    ):
        return False
    # "my password is expiring", "password is blocked!": a verb form, not a password.
    spelled = original.strip(QUOTES).rstrip("!?.")
    return not (spelled.isalpha() and spelled.islower() and spelled.endswith(("ing", "ed")))
