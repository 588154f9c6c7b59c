"""How the admin pages show numbers, and the Chart.js configurations they draw. Pure.

The browser tests format the tested query results with these same functions, so "the number on
the page" and "the number from the query" are compared digit for digit. A chart's words (its
series, axes and handoff reasons) come in the reader's language: each chart function takes the
page's ``text`` (a gettext), English when none is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tandem.analytics.metrics import DayRow, Rate
from tandem.escalation.reasons import ReasonCode
from tandem.web.translations import N_
from tandem.workforce.forecast import SLOTS_PER_DAY, WEEKDAYS, Forecast

Gettext = Callable[[str], str]


def _english(message: str) -> str:
    return message


# How a handoff reason reads on the dashboards (the code itself is what filters use).
REASONS: dict[str, str] = {
    ReasonCode.CUSTOMER_REQUEST: N_("customer asked for a person"),
    ReasonCode.NEGATIVE_EMOTION: N_("negative emotion"),
    ReasonCode.SENSITIVE_TOPIC: N_("sensitive topic"),
    ReasonCode.LOW_CONFIDENCE: N_("low confidence"),
    ReasonCode.REPEATED_FAILURE: N_("repeated failure"),
    ReasonCode.LOOP: N_("loop"),
    ReasonCode.REPEAT_CONTACT: N_("repeat contact"),
    ReasonCode.ADVERSE_DECISION: N_("adverse decision"),
    ReasonCode.HIGH_VALUE: N_("high-value customer"),
    ReasonCode.RULE: N_("policy rule"),
    ReasonCode.VIP: N_("VIP customer"),
    ReasonCode.AGENT_TAKEOVER: N_("taken over by an agent"),
}


def reason(code: str, text: Gettext = _english) -> str:
    """A handoff reason as people read it; an unknown code with its underscores as spaces."""
    known = REASONS.get(code)
    return text(known) if known else code.replace("_", " ")


AI_COLOUR = "#1f6f5c"
HUMAN_COLOUR = "#4f6bd8"
OTHER_COLOUR = "#b8c0cc"
BASELINE_COLOUR = "#9aa3b2"


def percent(value: float | Rate | None) -> str:
    """``0.4012`` or a Rate → ``40.1%``; nothing to divide → an em dash."""
    if isinstance(value, Rate):
        value = value.value
    return "—" if value is None else f"{value * 100:.1f}%"


def count(value: float) -> str:
    return f"{value:,.0f}"


def duration(seconds: float | None) -> str:
    """Say a duration the way a support lead reads it: ``45 s``, ``3 min 20 s``, ``5 h 07 min``."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    if whole < 86400:
        return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
    return f"{whole // 86400} d {whole % 86400 // 3600} h"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def money(value: float | None, currency: str) -> str:
    return "—" if value is None else f"{value:,.2f} {currency}"


def _options(y_title: str, *, stacked: bool = False) -> dict[str, Any]:
    return {
        "responsive": True,
        "maintainAspectRatio": False,
        "animation": False,
        "interaction": {"mode": "index", "intersect": False},
        "scales": {
            "x": {"stacked": stacked},
            "y": {"stacked": stacked, "beginAtZero": True, "title": _title(y_title)},
        },
    }


def _title(text: str) -> dict[str, Any]:
    return {"display": True, "text": text}


def _dataset(label: str, data: Sequence[float | None], colour: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "data": list(data), "backgroundColor": colour, **extra}


def daily_chart(days: list[DayRow], text: Gettext = _english) -> dict[str, Any]:
    """Conversations per day, stacked by outcome."""
    other = [d.conversations - d.ai_resolved - d.human_handled for d in days]
    return {
        "type": "bar",
        "data": {
            "labels": [d.day.isoformat() for d in days],
            "datasets": [
                _dataset(text(N_("Resolved by the AI")), [d.ai_resolved for d in days], AI_COLOUR),
                _dataset(
                    text(N_("Handled by a person")), [d.human_handled for d in days], HUMAN_COLOUR
                ),
                _dataset(text(N_("Not resolved")), other, OTHER_COLOUR),
            ],
        },
        "options": _options(text(N_("conversations per day")), stacked=True),
    }


def bar_chart(
    labels: list[str], values: Sequence[float], *, label: str, y_title: str
) -> dict[str, Any]:
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": [_dataset(label, values, HUMAN_COLOUR)]},
        "options": _options(y_title) | {"plugins": {"legend": {"display": False}}},
    }


def pair_chart(
    labels: list[str],
    ai: Sequence[float | None],
    human: Sequence[float | None],
    *,
    y_title: str,
    text: Gettext = _english,
) -> dict[str, Any]:
    """AI and people side by side, one pair of bars per measure."""
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                _dataset(text(N_("AI")), ai, AI_COLOUR),
                _dataset(text(N_("People")), human, HUMAN_COLOUR),
            ],
        },
        "options": _options(y_title),
    }


def interval_labels() -> list[str]:
    return [
        f"{WEEKDAYS[day]} {slot // 2:02d}:{30 * (slot % 2):02d}"
        for day in range(7)
        for slot in range(SLOTS_PER_DAY)
    ]


def _agents_line(label: str, forecast: Forecast, colour: str, **extra: Any) -> dict[str, Any]:
    agents = [i.staffing.agents_with_shrinkage for i in forecast.intervals]
    line = {"borderColor": colour, "stepped": True, "pointRadius": 0, "yAxisID": "y"}
    return _dataset(label, agents, colour, **line, **extra)


def forecast_chart(
    baseline: Forecast, scenario: Forecast, text: Gettext = _english
) -> dict[str, Any]:
    """Scheduled agents per interval, as things stand and under the what-if, over contacts."""
    contacts = [round(i.human_contacts, 2) for i in scenario.intervals]
    options = _options(text(N_("agents")))
    options["scales"] = {
        "x": {"ticks": {"autoSkip": True, "maxTicksLimit": 14}},
        "y": {"beginAtZero": True, "title": _title(text(N_("agents")))},
        "contacts": {
            "position": "right",
            "beginAtZero": True,
            "grid": {"drawOnChartArea": False},
            "title": _title(text(N_("contacts per 30 min"))),
        },
    }
    return {
        "type": "line",
        "data": {
            "labels": interval_labels(),
            "datasets": [
                _agents_line(text(N_("Agents to schedule (what-if)")), scenario, AI_COLOUR),
                _agents_line(
                    text(N_("Agents to schedule (as things stand)")),
                    baseline,
                    BASELINE_COLOUR,
                    borderDash=[4, 3],
                ),
                _dataset(
                    text(N_("Contacts for people (what-if)")),
                    contacts,
                    "rgba(79, 107, 216, 0.25)",
                    type="bar",
                    yAxisID="contacts",
                ),
            ],
        },
        "options": options,
    }
