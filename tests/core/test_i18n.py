"""Customer texts per language: complete catalogues, English as the fallback."""

from __future__ import annotations

import pytest

from tandem.core import i18n
from tandem.nlu.language import SUPPORTED


@pytest.mark.parametrize("language", sorted(SUPPORTED))
def test_every_language_tandem_reads_has_a_complete_catalogue(language: str) -> None:
    assert language in i18n.available()
    texts = i18n.catalogue(language)  # raises on a missing key or placeholder
    assert set(texts) == set(i18n.catalogue("en"))


def test_texts_are_filled_in_and_fall_back_to_english() -> None:
    assert i18n.text("place_number", "de", position=3) != i18n.text("place_number", position=3)
    assert "3" in i18n.text("place_number", "de", position=3)
    assert i18n.text("place_number", "xx", position=3) == i18n.text("place_number", position=3)
