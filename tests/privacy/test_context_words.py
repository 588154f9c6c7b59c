"""The words around a candidate secret, hashed: the fast scoring path gives the same numbers as
the vectoriser the models were trained with."""

from __future__ import annotations

import numpy as np
import pytest

from tandem.privacy.context_words import HASHED, context, hashed, hashed_scores
from tandem.privacy.lexicon import Folded

TEXTS = [
    "L_tried R_twice M_tried M_tiger00 M_twice M_twice",
    "L_mot L_de L_passe R_ne M_mot M_de M_passe M_ne M_marche M_pas W_papillon",
    "M_验证码 L_验证码是 R_谢谢 M_Élodie M_ÀÉÎ M_straße",
    "",
    "!!! ...",
]


@pytest.mark.parametrize("seed", [0, 1])
def test_scores_equal_the_vectoriser_times_the_weights(seed: int) -> None:
    weights = np.random.default_rng(seed).normal(size=HASHED)
    expected = hashed(TEXTS) @ weights
    assert np.allclose(hashed_scores(TEXTS, weights), expected, atol=1e-12)


def test_context_marks_the_words_before_and_after_and_folds_digits() -> None:
    text = "I tried Tiger2019 twice at 10pm"
    start = text.index("Tiger2019")
    words = context(Folded.of(text), start, start + len("Tiger2019")).split()
    assert words[:2] == ["L_i", "L_tried"]
    assert words[2:5] == ["R_twice", "R_at", "R_00pm"]
    assert "M_tiger0000" in words
