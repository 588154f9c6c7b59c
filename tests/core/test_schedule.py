"""Intervals become cron lines that repeat evenly; anything else is refused with advice."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from croniter import croniter
from pydantic import ValidationError

from tandem.config import Settings
from tandem.core.schedule import UnschedulableIntervalError, cron_every


@pytest.mark.parametrize("seconds", [1, 2, 5, 15, 30, 60, 300, 900, 3600, 21600, 86400])
def test_a_cron_line_fires_every_interval(seconds: int) -> None:
    fires = croniter(cron_every(seconds), datetime(2026, 12, 5, 13, 7, 41, tzinfo=UTC))
    times = [fires.get_next(datetime) for _ in range(5)]
    gaps = {(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)}
    assert gaps == {seconds}


@pytest.mark.parametrize("seconds", [0, -5, 0.5, 7, 45, 90, 7200 + 60, 5 * 3600, 2 * 86400])
def test_an_interval_cron_cannot_repeat_evenly_is_refused_with_examples(seconds: float) -> None:
    with pytest.raises(UnschedulableIntervalError, match="whole seconds that divide a minute"):
        cron_every(seconds)


def test_settings_refuse_an_unschedulable_sweep_or_retention_interval() -> None:
    with pytest.raises(ValidationError, match="TANDEM_SWEEP_INTERVAL_SECONDS: 7 s cannot"):
        Settings(sweep_interval_seconds=7)
    with pytest.raises(ValidationError, match="TANDEM_RETENTION_INTERVAL_SECONDS: 5000 s"):
        Settings(retention_days=30, retention_interval_seconds=5000)
    # Off, or unused without a retention period: nothing to schedule.
    assert (
        Settings(sweep_interval_seconds=0, retention_interval_seconds=5000).retention_days is None
    )
