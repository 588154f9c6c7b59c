"""The first-reply clock agents see: time left until a handoff's deadline, and how urgent it is.

Pure: the caller passes the deadline, the queue's allowed time and the current time. The
console's script (``web/static/js/sla.js``) ticks the same clock in the browser from the
values the page carries, so the wording here and there must stay the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

SLA_RISK_SHARE = 0.8  # a conversation past 80% of its allowed time is at risk


class SlaState(StrEnum):
    ON_TIME = "on-time"
    AT_RISK = "at-risk"  # shown amber
    OVERDUE = "overdue"  # shown red
    REPLIED = "replied"  # a person has answered: the first-reply clock has stopped


@dataclass(frozen=True, slots=True)
class SlaClock:
    state: SlaState
    deadline: datetime
    window_start: datetime  # when the allowed time began (the queue's opening, off hours)
    risk_share: float
    seconds_left: int  # negative once overdue
    text: str  # what the page shows: "4:32 left", "overdue 1:05", "replied"
    label: str  # what a screen reader says, to the minute: "SLA: 4 minutes left"
    read_at: datetime  # the ``now`` it was read at; the browser corrects its own clock by it


def first_reply_clock(
    *,
    deadline: datetime,
    allowed_seconds: int,
    replied: bool,
    now: datetime,
    risk_share: float = SLA_RISK_SHARE,
) -> SlaClock:
    """Return the clock of a first reply due at ``deadline``.

    The allowed time is the queue's ``allowed_seconds`` ending at the deadline: routing sets
    a deadline that many seconds after the handoff, the claim, or the queue's next opening
    when it was closed, so a conversation handed off at night is on time until the morning.
    """
    window_start = deadline - timedelta(seconds=allowed_seconds)
    left = math.floor((deadline - now).total_seconds())
    state = _state(deadline, window_start, now, risk_share=risk_share, replied=replied)
    return SlaClock(
        state=state,
        deadline=deadline,
        window_start=window_start,
        risk_share=risk_share,
        seconds_left=left,
        text=_text(state, left),
        label=_label(state, left),
        read_at=now,
    )


def _state(
    deadline: datetime, window_start: datetime, now: datetime, *, risk_share: float, replied: bool
) -> SlaState:
    if replied:
        return SlaState.REPLIED
    if now > deadline:
        return SlaState.OVERDUE
    if now >= window_start + (deadline - window_start) * risk_share:
        return SlaState.AT_RISK
    return SlaState.ON_TIME


def clock_face(seconds: int) -> str:
    """Write a non-negative duration as a countdown: 4:32, 1:04:32, 2 d 1:04:32."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours}:{minutes:02}:{secs:02}"
    if hours:
        return f"{hours}:{minutes:02}:{secs:02}"
    return f"{minutes}:{secs:02}"


def spoken(seconds: int) -> str:
    """Say a non-negative duration to the minute: "less than a minute", "1 hour 5 minutes"."""
    minutes = seconds // 60
    if minutes == 0:
        return "less than a minute"
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


def _text(state: SlaState, left: int) -> str:
    if state is SlaState.REPLIED:
        return "replied"
    if left < 0:
        return f"overdue {clock_face(-left)}"
    return f"{clock_face(left)} left"


def _label(state: SlaState, left: int) -> str:
    if state is SlaState.REPLIED:
        return "SLA: replied"
    if state is SlaState.OVERDUE:
        return f"SLA overdue by {spoken(max(-left, 0))}"
    at_risk = " (at risk)" if state is SlaState.AT_RISK else ""
    return f"SLA: {spoken(left)} left{at_risk}"
