"""Wait estimates customers read while they wait for a person."""

from __future__ import annotations

import pytest

from tandem.routing import messages
from tandem.routing.estimate import MIN_WAIT_SECONDS, estimate_wait_seconds


@pytest.mark.parametrize(
    ("position", "agents", "expected"),
    [
        pytest.param(1, 1, 120, id="first-in-line-one-agent"),
        pytest.param(3, 1, 360, id="third-in-line-one-agent"),
        pytest.param(3, 3, 120, id="three-agents-take-three-customers-at-once"),
        pytest.param(4, 3, 240, id="fourth-waits-a-second-round"),
    ],
)
def test_estimate_grows_with_position_and_shrinks_with_agents(
    position: int, agents: int, expected: int
) -> None:
    assert (
        estimate_wait_seconds(position=position, agents_online=agents, average_handle_seconds=240)
        == expected
    )


def test_no_agent_online_means_no_estimate() -> None:
    assert estimate_wait_seconds(position=1, agents_online=0, average_handle_seconds=240) is None
    assert "No one from our team is online" in messages.wait(None)
    assert "Gerade ist niemand aus unserem Team online" in messages.wait(None, "de")


def test_estimate_never_promises_less_than_a_minute() -> None:
    wait = estimate_wait_seconds(position=1, agents_online=5, average_handle_seconds=20)
    assert wait == MIN_WAIT_SECONDS


def test_position_starts_at_one() -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        estimate_wait_seconds(position=0, agents_online=1, average_handle_seconds=240)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(60, "about 1 minute"), (150, "about 2 minutes"), (600, "about 10 minutes")],
)
def test_the_wait_is_said_in_minutes(seconds: int, text: str) -> None:
    assert messages.wait(seconds) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "etwa 10 Minuten"),
        ("fr", "environ 10 minutes"),
        ("zh", "大约 10 分钟"),
        ("ja", "about 10 minutes"),  # no catalogue: English
        (None, "about 10 minutes"),
    ],
)
def test_the_wait_is_said_in_the_customers_language(language: str | None, text: str) -> None:
    assert messages.wait(600, language) == text
