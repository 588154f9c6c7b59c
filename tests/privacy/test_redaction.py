"""Secret redaction: card numbers, IBANs, passwords and one-time codes, never their look-alikes."""

from __future__ import annotations

import itertools

import pydantic
import pytest

from tandem.privacy.lexicon import _Phrases
from tandem.privacy.redaction import (
    MARKERS,
    Redaction,
    SecretKind,
    find_secrets,
    redact,
)

CARD, IBAN, PASSWORD, CODE, CVV, NATIONAL_ID = SecretKind


def secrets(text: str) -> list[tuple[SecretKind, str]]:
    return [(r.kind, text[r.start : r.end]) for r in find_secrets(text)]


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        # Card numbers: any separators, glued to letters, any network, 12 to 19 digits.
        pytest.param("My card is 4111 1111 1111 1111", CARD, "4111 1111 1111 1111", id="spaces"),
        pytest.param("5555-5555-5555-4444 please", CARD, "5555-5555-5555-4444", id="dashes"),
        pytest.param("4242.4242.4242.4242", CARD, "4242.4242.4242.4242", id="dots"),
        pytest.param("pay with 4012/8888/8888/1881", CARD, "4012/8888/8888/1881", id="slashes"),
        pytest.param("4111--1111  1111 / 1111", CARD, "4111--1111  1111 / 1111", id="mixed"),
        pytest.param("4111 1111\n1111 1111", CARD, "4111 1111\n1111 1111", id="line-break"),
        pytest.param("card4111111111111111", CARD, "4111111111111111", id="glued-to-letters"),
        pytest.param("Amex 3782 822463 10005", CARD, "3782 822463 10005", id="amex-4-6-5"),
        pytest.param("Diners 3056 9309 0259 04", CARD, "3056 9309 0259 04", id="diners-14"),
        pytest.param("Visa 4222222222222", CARD, "4222222222222", id="visa-13-with-word"),
        pytest.param("Maestro card 500000000009", CARD, "500000000009", id="twelve-digits"),
        # Written as a card, a number is one unless another number's word names it directly.
        pytest.param(
            "he saved his card on my account by mistake (5555-5555-5555-4444), remove it",
            CARD,
            "5555-5555-5555-4444",
            id="account-mentioned-before",
        ),
        pytest.param(
            "paying order 7710293 over the phone failed, so here: 3782-822463-10005",
            CARD,
            "3782-822463-10005",
            id="order-and-phone-mentioned-before",
        ),
        pytest.param("4111111111111111110", CARD, "4111111111111111110", id="nineteen-digits"),
        # Longer than a phone number can be (15 digits), a number near "phone" is no phone's.
        pytest.param(
            "copied from the app on my phone: 2463\xa01201\xa03198\xa04322",
            CARD,
            "2463\xa01201\xa03198\xa04322",
            id="sixteen-digits-after-phone",
        ),
        # "club card" names a loyalty card, but not after a card network's name.
        pytest.param(
            "his Diners Club card 3616 754676 1086 exp 10/30",
            CARD,
            "3616 754676 1086",
            id="diners-club-card",
        ),
        pytest.param(
            "Visa gift card 4111 1111 1111 1111", CARD, "4111 1111 1111 1111", id="visa-gift-card"
        ),
        pytest.param(
            "４１１１ １１１１ １１１１ １１１１",
            CARD,
            "４１１１ １１１１ １１１１ １１１１",
            id="full-width-digits",
        ),
        pytest.param("2223003122003222", CARD, "2223003122003222", id="mastercard-2-series"),
        pytest.param("Mi tarjeta: 6011111111111117", CARD, "6011111111111117", id="es"),
        pytest.param("Ma CB 4970 1000 0000 0063 svp", CARD, "4970 1000 0000 0063", id="fr"),
        pytest.param("Meine Karte 5105105105105100", CARD, "5105105105105100", id="de"),
        pytest.param("卡号6200000000000005，谢谢", CARD, "6200000000000005", id="zh-glued"),
        # IBANs: compact or grouped, any case, checksum only.
        pytest.param(
            "IBAN DE89 3704 0044 0532 0130 00",
            IBAN,
            "DE89 3704 0044 0532 0130 00",
            id="iban-grouped",
        ),
        pytest.param(
            "refund to gb82west12345698765432", IBAN, "gb82west12345698765432", id="iban-lowercase"
        ),
        pytest.param(
            "Mi IBAN es ES9121000418450200051332.", IBAN, "ES9121000418450200051332", id="iban-es"
        ),
        pytest.param(
            "IBAN:FR1420041010050500013M02606",
            IBAN,
            "FR1420041010050500013M02606",
            id="iban-letters-inside",
        ),
        pytest.param(
            "rekening NL91 ABNA 0417 1643 00", IBAN, "NL91 ABNA 0417 1643 00", id="iban-nl"
        ),
        pytest.param(
            "BE68 5390 0754 7034", IBAN, "BE68 5390 0754 7034", id="iban-national-check-skipped"
        ),
        pytest.param(
            "Numer konta: 61 1090 1014 0000 0712 1981 2874",
            IBAN,
            "61 1090 1014 0000 0712 1981 2874",
            id="iban-polish-without-pl",
        ),
        # Passwords: the word after the phrase, in nine languages.
        pytest.param("my password is Tulip#2024, thanks", PASSWORD, "Tulip#2024", id="en"),
        pytest.param("Password:\nhunter2", PASSWORD, "hunter2", id="en-next-line"),
        pytest.param("user anna pass: Kx!93mPq", PASSWORD, "Kx!93mPq", id="en-pass"),
        pytest.param("(pw: abc123)", PASSWORD, "abc123", id="en-pw-in-brackets"),
        pytest.param("my password is now Zaq1@wsx", PASSWORD, "Zaq1@wsx", id="en-filler"),
        pytest.param('password is "correct horse"', PASSWORD, '"correct horse"', id="en-quoted"),
        pytest.param("I think the password is sunshine", PASSWORD, "sunshine", id="en-word"),
        pytest.param("The password I used was Summer2024!", PASSWORD, "Summer2024!", id="en-gap"),
        pytest.param("log in with password Summer2024 fails", PASSWORD, "Summer2024", id="en-bare"),
        pytest.param("password for the wifi: GuestNet2024", PASSWORD, "GuestNet2024", id="en-for"),
        pytest.param("mi contraseña es Gato123!", PASSWORD, "Gato123!", id="es"),
        pytest.param("la contraseña de mi cuenta es Verano24", PASSWORD, "Verano24", id="es-gap"),
        pytest.param("Mi contrasena es Perro2024", PASSWORD, "Perro2024", id="es-no-accent"),
        pytest.param("mon mot de passe : Soleil2023.", PASSWORD, "Soleil2023", id="fr"),
        pytest.param("Mein Kennwort lautet Blume#7", PASSWORD, "Blume#7", id="de"),
        pytest.param("Passwort für das Konto lautet Hund!24", PASSWORD, "Hund!24", id="de-gap"),
        pytest.param("mijn wachtwoord is Fiets!2023", PASSWORD, "Fiets!2023", id="nl"),
        pytest.param("la mia password è Mare2024", PASSWORD, "Mare2024", id="it"),
        pytest.param("minha senha é Praia#99", PASSWORD, "Praia#99", id="pt"),
        pytest.param("moje hasło to Kot2024#", PASSWORD, "Kot2024#", id="pl"),
        pytest.param("HASLO: Zima2024!", PASSWORD, "Zima2024!", id="pl-upper-no-accent"),
        pytest.param("我的密码是abc12345，谢谢", PASSWORD, "abc12345", id="zh"),
        pytest.param("密码：qwerty123", PASSWORD, "qwerty123", id="zh-full-width-colon"),
        # One-time codes: 4 to 8 characters with a digit, after or before the phrase.
        pytest.param("Your OTP is 482913.", CODE, "482913", id="otp"),
        pytest.param("2FA: 123 456", CODE, "123 456", id="2fa-grouped"),
        pytest.param("verification code A7K2P9", CODE, "A7K2P9", id="letters-and-digits"),
        pytest.param("one-time password: 55219", CODE, "55219", id="one-time-password"),
        pytest.param("the code you sent me is 551203", CODE, "551203", id="gap-then-is"),
        pytest.param("de code uit de sms is 4821", CODE, "4821", id="nl-gap"),
        pytest.param("I got code 4821 but it fails", CODE, "4821", id="bare-code-digits"),
        pytest.param("482913 is my verification code", CODE, "482913", id="before-phrase"),
        pytest.param("The password reset code is 482913", CODE, "482913", id="reset-code"),
        pytest.param("el código es el 482913", CODE, "482913", id="es"),
        pytest.param("code de vérification : 7721", CODE, "7721", id="fr"),
        pytest.param("Der Bestätigungscode ist 552310", CODE, "552310", id="de"),
        pytest.param("mijn verificatiecode 8812", CODE, "8812", id="nl"),
        pytest.param("Il codice di verifica è 88231", CODE, "88231", id="it"),
        pytest.param("O código é 4412", CODE, "4412", id="pt"),
        pytest.param("kod weryfikacyjny: 90210", CODE, "90210", id="pl"),
        pytest.param("验证码123456", CODE, "123456", id="zh-glued"),
        pytest.param("一次性密码是778899", CODE, "778899", id="zh-one-time-password"),
        # A PIN the customer keeps is a password; one that came by text is a one-time code.
        pytest.param("my PIN is 9876", PASSWORD, "9876", id="pin"),
        pytest.param("mit der PIN 4092 komm ich in die App", PASSWORD, "4092", id="de-pin"),
        pytest.param("do aplikacji wchodzę pinem 8140", PASSWORD, "8140", id="pl-pin"),
        pytest.param("le code pin de l'appli c'est 2468", PASSWORD, "2468", id="fr-code-pin"),
        pytest.param("the pin from the sms is 4821", CODE, "4821", id="pin-by-text"),
        # A card of 13 digits printed 4-3-3-3; a card after another number's word and "is".
        pytest.param("i typed 4556 063 894 759 into the form", CARD, "4556 063 894 759", id="13"),
        pytest.param(
            "the card i want on the account is 4147 0015 2867 0528",
            CARD,
            "4147 0015 2867 0528",
            id="account-is-card",
        ),
    ],
)
def test_finds_the_secret_and_only_the_secret(text: str, kind: SecretKind, secret: str) -> None:
    assert secrets(text) == [(kind, secret)]


@pytest.mark.parametrize(
    "text",
    [
        # Numbers that are not card numbers.
        pytest.param("order 4532015112830366 hasn't arrived", id="order-luhn-valid"),
        pytest.param("Bestellnummer 4539578763621486", id="order-de"),
        pytest.param("Tracking: 4000 1234 5678 9010", id="tracking"),
        pytest.param("account no. 5555-5555-5555-4444 is in my name", id="account-card-shaped"),
        pytest.param("订单号4532015112830366", id="order-zh"),
        pytest.param("call me on +44 7911 123456", id="phone-plus"),
        pytest.param("my number is 0612345678", id="phone-local"),
        pytest.param("my number +49 4111 1111 1111 1111", id="phone-luhn-valid"),
        pytest.param("EAN 4006381333931", id="ean-13"),
        pytest.param("the box says 4006381333931", id="ean-13-without-word"),
        pytest.param("IMEI 356938035643809", id="imei-luhn-valid"),
        pytest.param("my phone: 378282246310005", id="fifteen-digits-after-phone"),
        pytest.param("and my phone 07700 900456", id="phone-number-in-two-groups"),
        pytest.param("loyalty card 6006491286014436", id="loyalty-card"),
        pytest.param("delivered 12/05/2024 at 12:30", id="date"),
        pytest.param("from 2024-05-01 to 2024-06-01", id="two-dates"),
        pytest.param("it cost 1.299,00 EUR, not 1299.00", id="price"),
        pytest.param("card ending 4242", id="card-ending"),
        pytest.param("4111 1111 1111 1112", id="luhn-invalid"),
        pytest.param("my card 4111 1111 1111 1112 was declined", id="luhn-invalid-with-word"),
        pytest.param("4111111111111112", id="luhn-invalid-compact"),
        pytest.param("card 601100000000000000001", id="twenty-one-digits-luhn-valid"),
        pytest.param("Maestro card 50000000005", id="eleven-digits"),
        pytest.param("sizes 42 43 44 45 46 47 48 49", id="list-of-numbers"),
        pytest.param("123-4567890-1234567", id="marketplace-order"),
        pytest.param("loyalty card number 6011 0009 9013 9424", id="loyalty-card"),
        pytest.param("SIM card 8944 1234 5678 9012 345", id="sim-card-iccid"),
        pytest.param("the voucher 4532015112830366 didn't work", id="voucher"),
        pytest.param("DE89 3704 0044 0532 0130 01", id="iban-bad-checksum"),
        # Passwords mentioned, none given.
        pytest.param("I forgot my password", id="forgot"),
        pytest.param("Can you reset my password?", id="reset"),
        pytest.param("my password is not working", id="not-working"),
        pytest.param("my password is wrong", id="wrong"),
        pytest.param("my password is the same as my username", id="same"),
        pytest.param("my password is expiring soon", id="verb-form"),
        pytest.param("my password isn't accepted", id="isnt"),
        pytest.param("What is my password?", id="question"),
        pytest.param("la contraseña es incorrecta", id="es-incorrect"),
        pytest.param("mot de passe : oublié", id="fr-forgotten"),
        pytest.param("Passwort ist abgelaufen", id="de-expired"),
        pytest.param("mijn wachtwoord is verlopen", id="nl-expired"),
        pytest.param("la password è sbagliata", id="it-wrong"),
        pytest.param("minha senha é inválida", id="pt-invalid"),
        pytest.param("hasło jest nieprawidłowe", id="pl-invalid"),
        pytest.param("我的密码是错的", id="zh-wrong"),
        pytest.param("密码忘了怎么办", id="zh-forgot"),
        pytest.param("password: ********", id="masked"),
        pytest.param("the password manager is great", id="bare-word-then-adjective"),
        pytest.param("password reset email was sent", id="bare-word-then-verb"),
        pytest.param("password e-mail", id="it-copula-inside-a-word"),
        pytest.param("Password reset link: https://example.com/r?t=abc1", id="link"),
        # Codes that are not one-time codes.
        pytest.param("discount code SPRING15 doesn't work", id="discount-code"),
        pytest.param("promo code SAVE20", id="promo-code"),
        pytest.param("voucher code XMAS2024", id="voucher-code"),
        pytest.param("the code SUMMER24 is not accepted", id="bare-code-promo-word"),
        pytest.param("error code 504", id="error-code"),
        pytest.param("error code 0x80070005", id="error-code-hex"),
        pytest.param("zip code 90210", id="zip-code"),
        pytest.param("post code SW1A 1AA", id="post-code"),
        pytest.param("my postcode is 1012 AB", id="postcode"),
        pytest.param("código postal 28013", id="es-postal"),
        pytest.param("code postal 75001", id="fr-postal"),
        pytest.param("Gutschein-Code WINTER15", id="de-voucher"),
        pytest.param("codice sconto ESTATE10", id="it-discount"),
        pytest.param("kod pocztowy 00-950", id="pl-postal"),
        pytest.param("优惠码SALE2024", id="zh-discount"),
        pytest.param("I didn't get the code", id="no-code-given"),
        pytest.param("verification code for order 12345678", id="order-after-code"),
        pytest.param("el código de mi pedido es 48213", id="order-in-the-gap"),
        pytest.param("the code didn't come and the reference is 4821", id="another-clause"),
        pytest.param("my password and my order number is 12345ab", id="password-then-order"),
        pytest.param("the code 123456789 is too long", id="nine-digits"),
        # Written as a card, but named by another number's word right before it.
        pytest.param("tracking: 4147 0015 2867 0528", id="tracking-card-like"),
        pytest.param("order nr. 4147 0015 2867 0528", id="order-nr-card-like"),
    ],
)
def test_leaves_look_alikes_alone(text: str) -> None:
    assert secrets(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "card 4111 1111 1111 1111 exp 12/26",
            "card [card number removed] exp 12/26",
            id="expiry-stays",
        ),
        pytest.param(
            "4111 1111 1111 1111, 12/26, 123",
            "[card number removed], 12/26, 123",
            id="unlabelled-cvv-stays",
        ),
        pytest.param(
            "Visa 4111111111111111 cvv 123",
            "Visa [card number removed] cvv [card security code removed]",
            id="labelled-cvv-goes",
        ),
        pytest.param(
            "IBAN ES91 2100 0418 4502 0005 1332, card 5555-5555-5555-4444, pw: Gato!99",
            "IBAN [IBAN removed], card [card number removed], pw: [password removed]",
            id="three-kinds",
        ),
        pytest.param("no secrets here", "no secrets here", id="nothing"),
    ],
)
def test_redact_replaces_each_secret_with_its_marker(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


def test_spans_index_the_original_text_even_after_accents_and_wide_characters() -> None:
    text = "Ｉ’ve paid ÉTÉ: contraseña es Ñandú#7 et carte 4111 1111 1111 1111"
    _, redactions = redact(text)
    assert [text[r.start : r.end] for r in redactions] == ["Ñandú#7", "4111 1111 1111 1111"]


def test_decomposed_accents_stay_inside_the_span() -> None:
    text = "password: Cafe\u0301!1 ok"
    assert secrets(text) == [(PASSWORD, "Cafe\u0301!1")]


def test_redactions_are_sorted_and_disjoint() -> None:
    text = "pw: Abc123! and card 4242424242424242 and OTP 5521 and DE89370400440532013000"
    redactions = find_secrets(text)
    assert [r.kind for r in redactions] == [PASSWORD, CARD, CODE, IBAN]
    assert all(a.end <= b.start for a, b in itertools.pairwise(redactions))


def test_redact_returns_the_spans_in_the_original_text() -> None:
    text = "OTP 482913"
    assert redact(text) == (f"OTP {MARKERS[CODE]}", [Redaction(CODE, 4, 10)])


def test_every_kind_has_a_marker() -> None:
    assert set(MARKERS) == set(SecretKind)


def test_phrase_data_must_list_every_language_under_every_key() -> None:
    keys = _Phrases.model_fields
    data = {key: {"en": ["x"], "fr": ["x"]} for key in keys}
    data["cvv"] = {"en": ["cvv"]}
    with pytest.raises(pydantic.ValidationError, match="list every language under every key"):
        _Phrases.model_validate(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "authenticator says 8244 2511", [(CODE, "8244 2511")], id="code-message-bare-number"
        ),
        pytest.param(
            "i got two codes, 444272 and then 63896560. which one",
            [(CODE, "444272"), (CODE, "63896560")],
            id="two-codes",
        ),
        pytest.param(
            "the sms code for order 48213377 never came, the new sms said 551902",
            [(CODE, "551902")],
            id="order-number-stays",
        ),
        pytest.param(
            "code 146176? it was sent to (01) 316 4859",
            [(CODE, "146176")],
            id="bracketed-phone-stays",
        ),
        pytest.param(
            "my sms code has not arrived since 2019 or so, 25 euros wasted",
            [],
            id="year-and-price-stay",
        ),
        pytest.param(
            "salve pw Estate_Gatto29 e codice sms 4241-4347",
            [(PASSWORD, "Estate_Gatto29"), (CODE, "4241-4347")],
            id="bare-pw-before-a-copula",
        ),
        pytest.param(
            "my password was Vu3DL%V. now I changed it to buster_27 and neither works",
            [(PASSWORD, "Vu3DL%V"), (PASSWORD, "buster_27")],
            id="changed-it-to",
        ),
        pytest.param(
            "I think my pass is Rosie2001& or maybe liverpool319",
            [(PASSWORD, "Rosie2001&"), (PASSWORD, "liverpool319")],
            id="or-maybe",
        ),
        pytest.param(
            "i typed zaq12wsx as password like 10 times", [(PASSWORD, "zaq12wsx")], id="as-password"
        ),
        pytest.param("can you pass the salt to the team", [], id="pass-in-another-sense"),
        pytest.param(
            "the password for the app, I think it's Tulip#2024 or so",
            [(PASSWORD, "Tulip#2024")],
            id="password-named-anywhere",
        ),
        pytest.param(
            "login: Shadow1988! is what i use, the password never worked",
            [(PASSWORD, "Shadow1988!")],
            id="password-before-the-word",
        ),
        pytest.param(
            "password reset for order PP-2281945 since 12/03/2026, link https://x.example/a1B2c3X",
            [],
            id="password-message-keeps-order-date-link",
        ),
        pytest.param(
            "new password please, my email is Anna.K1990@mail.example", [], id="email-stays"
        ),
        pytest.param(
            "i changed it to the blue one, no password involved", [], id="changed-without-password"
        ),
        # Chinese glues numbers to the words around them: a code is still a code there.
        pytest.param(
            "短信发了61 29 07给我确认付款", [(CODE, "61 29 07")], id="zh-glued-in-context"
        ),
        pytest.param("短信说订单号12345678已发货", [], id="zh-glued-order-number"),
        # A card typed in two goes, in a message about a card: both halves are removed.
        pytest.param(
            "the card number: 4539 1488, hang on, my glasses... 0343 6467, exp 03/28",
            [(CARD, "4539 1488"), (CARD, "0343 6467")],
            id="card-in-two-halves",
        ),
        pytest.param(
            "my card was refused, order 4539 1488 and then invoice 0343 6467",
            [],
            id="halves-named-as-other-numbers",
        ),
        # A password and its other spelling, the second after a word for a phone: a phone
        # number has no letters.
        pytest.param(
            "my password on the laptop is Tulpe_88, on the phone it is tulpe_88",
            [(PASSWORD, "Tulpe_88"), (PASSWORD, "tulpe_88")],
            id="variant-after-phone",
        ),
        # Chinese has no spaces: a password found is one run, never the sentence around it.
        pytest.param(
            "我的密码是Lanzhou&Mian7，登录后页面一直转圈，怎么办？",
            [(PASSWORD, "Lanzhou&Mian7")],
            id="zh-password-not-the-sentence",
        ),
        pytest.param(
            "密码忘了，用户名是tiger_chengdu_77，能帮我重置吗？",
            [],
            id="zh-user-name-not-a-password",
        ),
        # The word for a password is never one: "Palavra-passe" is its label.
        pytest.param(
            "Palavra-passe velha Sardinha_1999, palavra-passe nova Bacalhau#2024, nenhuma entra.",
            [(PASSWORD, "Sardinha_1999"), (PASSWORD, "Bacalhau#2024")],
            id="label-capitalised",
        ),
        pytest.param("delivery window Tuesday 8am-2pm, is that right?", [], id="hours"),
        pytest.param("扣在了尾数为5521的卡上", [], id="zh-card-ending"),
    ],
)
def test_secrets_in_context(text: str, expected: list[tuple[SecretKind, str]]) -> None:
    assert secrets(text) == expected
