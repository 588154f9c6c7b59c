"""What the bot says in its own words reads naturally, whatever the deployment is called."""

from __future__ import annotations

from tandem.bot import messages
from tandem.config import Settings


def test_the_greeting_names_the_company() -> None:
    assert messages.greeting("Pebble & Pine", "en").startswith(
        "Hi! I'm Pebble & Pine's virtual assistant: an AI, not a person."
    )


def test_the_greeting_reads_well_before_a_company_name_is_configured() -> None:
    unnamed = Settings().company_name
    assert messages.greeting(unnamed, "en").startswith(f"Hi! I'm {unnamed}'s virtual assistant")
    assert f"the {unnamed}" not in messages.greeting(unnamed, "en")
