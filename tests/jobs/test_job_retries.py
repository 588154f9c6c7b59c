"""Which jobs are tried again, and when."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from tandem.core.time import utc_now
from tandem.jobs.tasks import SUMMARY_ATTEMPTS, blueprint
from tandem.llm.provider import ModelUnavailableError


def _retry_at(error: Exception, attempts: int) -> datetime | None:
    strategy = blueprint().tasks["tandem.write_summary"].retry_strategy
    assert strategy is not None
    decision = strategy.get_retry_decision(
        exception=error,
        job=SimpleNamespace(attempts=attempts),  # type: ignore[arg-type]
    )
    return None if decision is None else decision.retry_at


def _seconds_from_now(moment: datetime | None) -> float:
    assert moment is not None
    return (moment - utc_now()).total_seconds()


def test_a_summary_asks_an_unreachable_model_again_after_30_then_60_seconds() -> None:
    assert 25 < _seconds_from_now(_retry_at(ModelUnavailableError("down"), 0)) <= 30
    assert 55 < _seconds_from_now(_retry_at(ModelUnavailableError("down"), 1)) <= 60
    # The job's last try keeps the extractive summary instead of raising; were it to raise,
    # the queue would not try again either.
    assert _retry_at(ModelUnavailableError("down"), SUMMARY_ATTEMPTS) is None


def test_a_summary_is_not_asked_again_for_an_error_a_retry_cannot_mend() -> None:
    assert _retry_at(ValueError("unreadable reply"), 0) is None
