"""Production refuses settings that would be unsafe to serve with, and says what to change."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tandem.config import Settings

SAFE = {
    "environment": "production",
    "secret_key": "k" * 48,
    "secure_cookies": True,
    "identity_secret": "s" * 40,
}


def test_safe_production_settings_are_accepted() -> None:
    assert Settings.model_validate(SAFE).environment == "production"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"secret_key": "short"}, "TANDEM_SECRET_KEY"),
        ({"secure_cookies": False}, "TANDEM_SECURE_COOKIES"),
        ({"identity_secret": "x"}, "TANDEM_IDENTITY_SECRET"),
        ({"demo_identities": True}, "TANDEM_DEMO_IDENTITIES"),
    ],
)
def test_unsafe_production_settings_are_refused(change: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        Settings.model_validate({**SAFE, **change})


def test_development_accepts_the_defaults() -> None:
    assert Settings.model_validate({"environment": "development"}).secure_cookies is False
