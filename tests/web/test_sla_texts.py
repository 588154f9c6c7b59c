"""The first-reply clock as pages word it: routing/sla.py's English, else the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tandem.routing.sla import SlaClock, first_reply_clock
from tandem.web import sla_texts, translations

DEADLINE = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _clock(seconds_left: int, *, replied: bool = False) -> SlaClock:
    return first_reply_clock(
        deadline=DEADLINE,
        allowed_seconds=600,
        replied=replied,
        now=DEADLINE - timedelta(seconds=seconds_left),
    )


@pytest.mark.parametrize("seconds_left", [500, 90, 30, -65, -4000, 3 * 86400 + 65])
def test_english_reads_as_the_routing_clock(seconds_left: int) -> None:
    clock = _clock(seconds_left)
    english = translations.translations("en")
    assert sla_texts.clock_text(clock, english) == clock.text
    assert sla_texts.clock_label(clock, english, "en") == clock.label


@pytest.mark.parametrize(
    ("seconds_left", "replied", "text", "label"),
    [
        pytest.param(500, False, "noch 8:20", "SLA: noch 8 Minuten", id="on-time"),
        pytest.param(90, False, "noch 1:30", "SLA: noch 1 Minute (gefährdet)", id="at-risk"),
        pytest.param(-65, False, "überfällig 1:05", "SLA um 1 Minute überschritten", id="late"),
        pytest.param(
            2 * 86400 + 3600, False, "noch 2 T 1:00:00", "SLA: noch 2 Tage 1 Stunde", id="days"
        ),
        pytest.param(30, True, "beantwortet", "SLA: beantwortet", id="replied"),
    ],
)
def test_german_words_the_same_clock(
    seconds_left: int, replied: bool, text: str, label: str
) -> None:
    clock = _clock(seconds_left, replied=replied)
    german = translations.translations("de")
    assert sla_texts.clock_text(clock, german) == text
    assert sla_texts.clock_label(clock, german, "de") == label
