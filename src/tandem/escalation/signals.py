"""Store and reload a turn's signals as JSON, so policies can be replayed on past turns."""

from __future__ import annotations

import dataclasses
from typing import Any

from tandem.escalation.policy import Signals


def signals_to_data(signals: Signals) -> dict[str, Any]:
    """Serialise signals for storage with the message."""
    data = dataclasses.asdict(signals)
    data["attributes"] = dict(signals.attributes)
    return data


def signals_from_data(data: dict[str, Any]) -> Signals:
    """Rebuild stored signals (JSON lists become tuples; unknown keys are ignored)."""
    known = {f.name for f in dataclasses.fields(Signals)}
    values = {k: v for k, v in data.items() if k in known}
    values["previous_loads"] = tuple(values.get("previous_loads", ()))
    values["sensitive_topics"] = tuple(tuple(t) for t in values.get("sensitive_topics", ()))
    return Signals(**values)
