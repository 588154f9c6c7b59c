"""What the words and shapes around a value say: another spelling of a password, a word naming
another number only within its clause, a run both models find likely, shapes that are no code."""

from __future__ import annotations

import pytest

from tandem.privacy.lexicon import Folded, load_lexicon, names_other_number
from tandem.privacy.password_model import has_variant
from tandem.privacy.redaction import SecretKind, find_secrets

CARD, PASSWORD, CODE, CVV = SecretKind.CARD, SecretKind.PASSWORD, SecretKind.CODE, SecretKind.CVV


def secrets(text: str) -> list[tuple[SecretKind, str]]:
    return [(r.kind, text[r.start : r.end]) for r in find_secrets(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "ayer la cambié de flamenco a Flamenc0! y ahora no funciona ninguna",
            [(PASSWORD, "flamenco"), (PASSWORD, "Flamenc0!")],
            id="old-and-new-in-leetspeak",
        ),
        pytest.param(
            "i tried bluebell and then Bluebell1, neither worked",
            [(PASSWORD, "bluebell"), (PASSWORD, "Bluebell1")],
            id="two-guesses",
        ),
        pytest.param(
            "gestern von Kuckucksuhr auf Kuckucksuhr2026! geändert, jetzt geht nix",
            [(PASSWORD, "Kuckucksuhr"), (PASSWORD, "Kuckucksuhr2026!")],
            id="digits-and-bang-added",
        ),
        # Guards: a label, a user name and a promotion share the letters of what follows them.
        pytest.param(
            "password: Passw0rd#2026 for the shop", [(PASSWORD, "Passw0rd#2026")], id="label"
        ),
        pytest.param(
            "login akowalska, hasło Ak0walska!", [(PASSWORD, "Ak0walska!")], id="user-name"
        ),
        pytest.param("hallo gutscheincode HALLO15 wird nicht akzeptiert", [], id="promotion"),
        pytest.param("Mijn naam staat er niet op, mijn bestelling wel", [], id="capital-only"),
    ],
)
def test_every_spelling_of_a_password_is_one(
    text: str, expected: list[tuple[SecretKind, str]]
) -> None:
    assert secrets(text) == expected


def test_a_variant_needs_letters_not_only_digits() -> None:
    # Postcodes with their digits swapped are not one word spelled twice.
    assert not has_variant("08052", "mi código postal es 08025 y el pedido se fue a 08052")
    assert has_variant("Pierogi1", "wpisuję pierogi i Pierogi1 i nic")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "bank chce żebym potwierdziła 129,00 zł kodem 80431, to wy?",
            [(CODE, "80431")],
            id="code-word-nearer-than-the-currency",
        ),
        pytest.param(
            "on me demande le code reçu par sms, c'est 71 52 08, et ça tourne",
            [(CODE, "71 52 08")],
            id="received-is-no-receipt-here",
        ),
        pytest.param(
            "muszę wejść na konto, a Zakopane#2005 nie przechodzi",
            [(PASSWORD, "Zakopane#2005")],
            id="account-in-another-clause",
        ),
        pytest.param(
            "ordernummer 96948027449153218 nog steeds niet verzonden, de sms code werkt niet",
            [],
            id="compound-names-a-number",
        ),
        pytest.param(
            "el pedido? 661204, llegó roto, el código no sirve", [], id="question-then-answer"
        ),
    ],
)
def test_a_word_names_another_number_only_within_its_clause(
    text: str, expected: list[tuple[SecretKind, str]]
) -> None:
    assert secrets(text) == expected


def test_chinese_words_count_without_spaces() -> None:
    lexicon = load_lexicon()
    near, far = Folded.of("账号12345678"), Folded.of("账号是我儿子注册的他给我的纸条上写着Jiaozi")
    assert names_other_number(near.text, 2, lexicon, max_words=2)
    assert not names_other_number(far.text, far.text.index("jiaozi"), lexicon, max_words=2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "the email verification code came as WT6-93K but theres no box to type it",
            [(CODE, "WT6-93K")],
            id="letters-and-digits-three-and-three",
        ),
        pytest.param(
            "why was 4094100141026 refused? it's an old card but it hasn't expired",
            [(CARD, "4094100141026")],
            id="thirteen-digit-card-in-a-message-about-a-card",
        ),
        pytest.param(
            "typed it from the photo of the card, spacing might be off: 4111 1111 1111 11 11",
            [(CARD, "4111 1111 1111 11 11")],
            id="card-in-odd-groups-in-a-message-about-a-card",
        ),
        pytest.param(
            "from the sheet i saved when i set up 2-factor, backup code 7HX2 9KDP",
            [(CODE, "7HX2 9KDP")],
            id="backup-code-in-two-groups",
        ),
        pytest.param(
            "app的PIN码是4702，今天突然不对了", [(PASSWORD, "4702")], id="pin-glued-to-chinese"
        ),
        pytest.param(
            "3782 822463 10005 codice di sicurezza 2958, scad 08/30",
            [(CARD, "3782 822463 10005"), (CVV, "2958")],
            id="security-code-after-a-card",
        ),
        # Guards: shapes that are something else, in messages about a code.
        pytest.param(
            "prélèvement 5184283368842988 sur mon relevé, c'est vous ?", [], id="long-reference"
        ),
        pytest.param("the sms code went to the card •••• 1199, the old one", [], id="masked"),
        pytest.param("the code came at 18h02 and expired at 18h04", [], id="time"),
        pytest.param("the sms code is fine but the KALLAX 77x147 arrived broken", [], id="size"),
        pytest.param(
            "the code from the text does not work, I live at 02-495 warszawa", [], id="postcode"
        ),
        pytest.param(
            "the sms code never came, call me on 06 21 48 73 90 please", [], id="phone-groups"
        ),
        pytest.param("barcode 4006381333932 on the gift card box", [], id="barcode-named"),
        pytest.param(
            "the sms code never came. Nieuw nummer: 06 2819 7304", [], id="phone-in-three-groups"
        ),
    ],
)
def test_shapes(text: str, expected: list[tuple[SecretKind, str]]) -> None:
    assert secrets(text) == expected


def test_a_run_both_models_read_as_a_secret_is_redacted_once_as_the_likelier_kind() -> None:
    # A PIN to one model, a one-time code to the other: either way it is a secret.
    text = "i use 4471 to open your app on my phone and since the update it wont accept it"
    [(kind, value)] = secrets(text)
    assert value == "4471"
    assert kind in {PASSWORD, CODE}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An expiry date or a security code after the number: a card, whatever word names it.
        pytest.param(
            "Karte für die Bestellung: 4539 1488 0343 6467, gültig bis 09/27",
            [(CARD, "4539 1488 0343 6467")],
            id="order-word-then-expiry",
        ),
        pytest.param(
            "la tarjeta del pedido: 5425 2334 3010 9903 cvc 204",
            [(CARD, "5425 2334 3010 9903"), (CVV, "204")],
            id="order-word-then-security-code",
        ),
        # Two halves of four and four, typed apart, with no word for a card.
        pytest.param(
            "ok so 4539 1488... one sec, the dog... 0343 6467 done",
            [(CARD, "4539 1488"), (CARD, "0343 6467")],
            id="halves-written-as-a-card",
        ),
        pytest.param(
            "first 45391488 then hold on 03436467, exp 09/27",
            [(CARD, "45391488"), (CARD, "03436467")],
            id="halves-then-expiry",
        ),
        # The card word before the order's word: the order is what the card is for.
        pytest.param(
            "My UnionPay card for the laptop order: 6212 7621 3078 9346. It worked last year.",
            [(CARD, "6212 7621 3078 9346")],
            id="card-for-the-order",
        ),
        # Guards: an order number with a full date, halves that are not written as a card's.
        pytest.param(
            "order 4539148803436467 placed 14/09/2026 never came", [], id="order-number-and-date"
        ),
    ],
)
def test_what_comes_with_a_card_makes_it_one(
    text: str, expected: list[tuple[SecretKind, str]]
) -> None:
    assert secrets(text) == expected


def test_halves_not_written_as_a_card_s_are_no_card_by_themselves() -> None:
    # Whether a bare number is some other secret is the models' call; a card it is not.
    assert CARD not in {kind for kind, _ in secrets("ok so 45391488... one sec... 03436467 done")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # After "password:", a plain word followed by a password's shape is part of the sentence.
        pytest.param(
            "Ho cambiato la password: prima era Laguna.Blu.44 e adesso niente",
            [(PASSWORD, "Laguna.Blu.44")],
            id="plain-word-then-the-password",
        ),
        pytest.param(
            "my password is marigold and it still fails", [(PASSWORD, "marigold")], id="plain"
        ),
        # Guards: an apostrophe or a hyphen makes no second spelling; shapes of other things.
        pytest.param(
            "two shops: the shop's password is Heron.Pool.71 and the other shop has none",
            [(PASSWORD, "Heron.Pool.71")],
            id="possessive-is-no-variant",
        ),
        pytest.param("my card shows as XXXX XXXX XXXX 8812 in the app", [], id="masked-card"),
        pytest.param("does the form take 40-character passwords?", [], id="compound-number"),
        pytest.param("扣款用的是末四位3391的那张卡", [], id="zh-last-four"),
        # An aside in brackets after "password" is not the password; words joined by hyphens
        # or apostrophes and a Spanish question's opening mark are how words are written.
        pytest.param(
            "mine is fine. His password (he chose it): Hollin_Brook5 fails",
            [(PASSWORD, "Hollin_Brook5")],
            id="aside-in-brackets",
        ),
        pytest.param(
            "¿Cuándo caduca la contraseña? ¿Cada semana? Me obliga a cambiarla siempre.",
            [],
            id="opening-question-mark",
        ),
        pytest.param(
            "Die E-Mail-Adresse ist richtig, nur das Passwort wird abgelehnt.",
            [],
            id="hyphenated-compound",
        ),
        pytest.param(
            "Bij het Wachtwoord-Formulier typ ik Zeehond_Texel7 en dan niks.",
            [(PASSWORD, "Zeehond_Texel7")],
            id="hyphenated-compound-beside-a-password",
        ),
    ],
)
def test_password_words_and_shapes(text: str, expected: list[tuple[SecretKind, str]]) -> None:
    assert secrets(text) == expected
