"""Language identification: supported, undetermined, or another language."""

from __future__ import annotations

import pytest

from tandem.nlu.language import UNDETERMINED, identify


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("where is my order, it should have arrived yesterday", "en"),
        ("¿Dónde está mi pedido? Debería haber llegado ayer", "es"),
        ("Où est ma commande ? Elle devait arriver hier", "fr"),
        ("Wo ist meine Bestellung? Sie sollte gestern ankommen", "de"),
        ("我的订单在哪里", "zh"),
    ],
)
def test_supported_languages_are_identified(text: str, code: str) -> None:
    language = identify(text)
    assert language.code == code
    assert language.understood


def test_a_short_message_is_undetermined_and_given_the_benefit() -> None:
    language = identify("ok")
    assert language.code == UNDETERMINED
    assert language.understood


def test_a_language_tandem_does_not_read_is_not_understood() -> None:
    language = identify("Здравствуйте, где мой заказ? Он должен был прийти вчера")
    assert language.code == "ru"
    assert not language.understood


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a regional variety the identifier hesitates over, read as its supported neighbour
        ("¡Hola! ¿Enviáis a Tenerife? Es para mi suegra, que vive en La Laguna.", "es"),
        ("Moi! Hou lang duurt 't veurdat 'n pakje in Grunn is?", "nl"),
    ],
)
def test_a_regional_variety_is_read_as_the_supported_language_nearest(text: str, code: str) -> None:
    assert identify(text).code == code


def test_a_language_the_identifier_is_sure_of_is_not_pulled_to_a_neighbour() -> None:
    assert identify("Bon dia! Voleu dir que puc tornar-ho?").code == "ca"
    assert identify("Kedves ügyfélszolgálat, hol van a csomagom?").code == "hu"
