"""Real mail servers for the e-mail tests: Dovecot for IMAP, an aiosmtpd relay for SMTP.

The fixtures ``dovecot`` (one per session), ``smtp_relay`` and ``smtp_relay_with_login`` (one
per test) skip when Dovecot is not installed and fail under CI=true. tests/conftest.py
registers this module as a plugin; the servers themselves are in tests/dovecot.py and
tests/smtp_relay.py, and importable from here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.dovecot import DEFAULT_PASSWORD, DOVECOT, Dovecot, MailServerError
from tests.smtp_relay import RelayedMail, SmtpRelay

__all__ = [
    "DEFAULT_PASSWORD",
    "RELAY_LOGIN",
    "Dovecot",
    "MailServerError",
    "RelayedMail",
    "SmtpRelay",
    "dovecot",
    "smtp_relay",
    "smtp_relay_with_login",
]

# Not imported from tests.conftest, which registers this module.
IN_CI = os.environ.get("CI", "").lower() == "true"
RELAY_LOGIN = ("tandem", "relay-password")  # of the smtp_relay_with_login fixture


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A running Dovecot for the whole session; give each test its own addresses."""
    if not os.access(DOVECOT, os.X_OK):
        _unavailable(f"Dovecot not found at {DOVECOT}; install Debian's `dovecot-imapd` package")
    with Dovecot() as server:
        yield server


@pytest.fixture
def smtp_relay(dovecot: Dovecot) -> Iterator[SmtpRelay]:
    """An SMTP relay that needs no AUTH (and takes any) and delivers into ``dovecot``."""
    with SmtpRelay(dovecot) as relay:
        yield relay


@pytest.fixture
def smtp_relay_with_login(dovecot: Dovecot) -> Iterator[SmtpRelay]:
    """An SMTP relay that takes mail only after AUTH as ``RELAY_LOGIN``."""
    with SmtpRelay(dovecot, login=RELAY_LOGIN) as relay:
        yield relay
