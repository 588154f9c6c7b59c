"""Estimate how long a customer will wait for a person. Pure."""

from __future__ import annotations

import math

MIN_WAIT_SECONDS = 60


def estimate_wait_seconds(
    *, position: int, agents_online: int, average_handle_seconds: int
) -> int | None:
    """Return the expected wait for the ``position``-th customer, or None when nobody is online.

    Each online agent takes one waiting customer per round; on average the agent is halfway
    through the current conversation, so a round lasts half the average handle time.
    """
    if position < 1:
        raise ValueError("position starts at 1")
    if agents_online <= 0:
        return None
    rounds = math.ceil(position / agents_online)
    return max(MIN_WAIT_SECONDS, round(rounds * average_handle_seconds / 2))
