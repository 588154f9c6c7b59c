"""Staff passwords must resist guessing, whatever their length or character classes."""

from __future__ import annotations

import pytest

from tandem.core.security import password_weakness


@pytest.mark.parametrize(
    "password", ["password", "Summer2024!", "letmein123", "qwertyuiop", "ana@example.com1"]
)
def test_guessable_passwords_are_refused_with_a_reason(password: str) -> None:
    reason = password_weakness(password, user_inputs=("ana@example.com", "Ana"))
    assert reason is not None
    assert "easy to guess" in reason


def test_short_passwords_are_refused_by_length() -> None:
    assert password_weakness("aB3$x") == "Passwords need at least 8 characters."


@pytest.mark.parametrize("password", ["correct horse battery", "velvet orbit pencil"])
def test_passphrases_are_accepted(password: str) -> None:
    assert password_weakness(password) is None
