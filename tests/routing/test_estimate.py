"""Wait estimates customers read while they wait for a person."""

from __future__ import annotations

import pytest

from tandem.routing.estimate import MIN_WAIT_SECONDS, describe_wait, estimate_wait_seconds


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
    assert "No one from our team is online" in describe_wait(None)


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
def test_describe_wait(seconds: int, text: str) -> None:
    assert describe_wait(seconds) == text
