"""Intervals as cron lines, so periodic work can run once per deployment on a schedule."""

from __future__ import annotations

MINUTE = 60
HOUR = 3600
DAY = 86_400


class UnschedulableIntervalError(ValueError):
    """Raised for an interval a cron line cannot repeat evenly."""


def cron_every(seconds: float) -> str:
    """Return the cron line (six fields, seconds last) that fires every ``seconds``.

    Cron repeats evenly only when the interval divides the next larger unit, so the interval
    must be whole seconds dividing a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30), whole
    minutes dividing an hour, or whole hours dividing a day.
    """
    whole = int(seconds)
    if whole != seconds or whole <= 0:
        raise UnschedulableIntervalError(_advice(seconds))
    if whole < MINUTE and MINUTE % whole == 0:
        return f"* * * * * */{whole}"
    if whole < HOUR and whole % MINUTE == 0 and HOUR % whole == 0:
        return f"*/{whole // MINUTE} * * * * 0"
    if whole <= DAY and whole % HOUR == 0 and DAY % whole == 0:
        return f"0 */{whole // HOUR} * * * 0"
    raise UnschedulableIntervalError(_advice(seconds))


def _advice(seconds: float) -> str:
    return (
        f"{seconds:g} s cannot be repeated evenly: use whole seconds that divide a minute "
        "(e.g. 5, 15, 30), whole minutes that divide an hour (e.g. 60, 300, 900) or whole hours "
        "that divide a day (e.g. 3600, 21600, 86400)."
    )
