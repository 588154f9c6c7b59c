"""Admin pages for supervisors and admins: the dashboard, drill-down, CSV, ROI, forecast."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.analytics import service as analytics_service
from tandem.analytics.access import access_reports
from tandem.analytics.filters import Filters, local_day_bounds
from tandem.analytics.metrics import Rate
from tandem.analytics.service import ReportConfig
from tandem.auth.deps import AgentSession, CurrentAgent
from tandem.auth.models import AuthSession, User
from tandem.conversations.models import Tier
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.web import admin_view as view
from tandem.web.admin_layout import admin_page
from tandem.web.templating import request_catalogue
from tandem.web.translations import N_
from tandem.workforce import service as workforce_service
from tandem.workforce.erlang import Target
from tandem.workforce.forecast import SLOT_MINUTES, WEEKDAYS, Forecast, Plan, WhatIf

router = APIRouter(prefix="/admin", include_in_schema=False)
# The dashboard's figures for integrations (same filters), with an API token or a login.
api_router = APIRouter(prefix="/api/v1", tags=["integrations"])

DEFAULT_DAYS = 28
MAX_DAYS = 400


async def _staff(pair: AgentSession) -> tuple[User, AuthSession]:
    access_reports(pair[0])
    return pair


Staff = Annotated[tuple[User, AuthSession], Depends(_staff)]


@dataclass(frozen=True, slots=True)
class FilterForm:
    """The filters as the form shows them, and as query strings for links."""

    first: date
    last: date
    channel: str
    queue: str
    intent: str
    tier: str

    def query(self, **extra: str) -> str:
        values = {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "channel": self.channel,
            "queue": self.queue,
            "intent": self.intent,
            "tier": self.tier,
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v})


@dataclass(frozen=True, slots=True)
class ReportRequest:
    form: FilterForm
    filters: Filters
    config: ReportConfig


def report_request(
    settings: SettingsDep,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
    channel: Annotated[str, Query(max_length=32)] = "",
    queue: Annotated[str, Query(max_length=64)] = "",
    intent: Annotated[str, Query(max_length=200)] = "",
    tier: Annotated[str, Query(max_length=32)] = "",
) -> ReportRequest:
    """Read the filters; by default the last 28 days, today included (report time zone)."""
    config = analytics_service.config_from(settings)
    today = utc_now().astimezone(config.zone).date()
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise InvalidInputError("The end date is before the start date; pick them again.")
    if (last - first).days >= MAX_DAYS:
        raise InvalidInputError(f"Reports cover at most {MAX_DAYS} days; pick a shorter range.")
    if tier and tier not in {t.value for t in Tier}:
        raise InvalidInputError(f"Unknown customer tier {tier!r}.")
    start, end = local_day_bounds(first, last, config.zone)
    filters = Filters(
        start=start,
        end=end,
        channel=channel or None,
        queue=queue or None,
        intent=intent or None,
        tier=Tier(tier) if tier else None,
    )
    return ReportRequest(FilterForm(first, last, channel, queue, intent, tier), filters, config)


ReportRequestDep = Annotated[ReportRequest, Depends(report_request)]


_page = admin_page


@router.get("")
async def home(pair: Staff) -> RedirectResponse:
    return RedirectResponse("/admin/analytics", status_code=303)


@router.get("/analytics", response_class=HTMLResponse)
async def dashboard(
    request: Request, pair: Staff, session: SessionDep, wanted: ReportRequestDep
) -> HTMLResponse:
    report = await analytics_service.report(
        session, wanted.filters, config=wanted.config, now=utc_now()
    )
    metrics = report.metrics
    text = request_catalogue(request).gettext
    charts = {
        "daily": view.daily_chart(metrics.days, text),
        "reasons": view.bar_chart(
            [view.reason(r, text) for r, _n in metrics.handoffs_by_reason],
            [n for _r, n in metrics.handoffs_by_reason],
            label=text(N_("handoffs")),
            y_title=text(N_("handoffs")),
        ),
        "csat": view.pair_chart(
            [text(N_("mean rating (1-5)"))],
            [metrics.csat_ai.mean],
            [metrics.csat_human.mean],
            y_title=text(N_("rating")),
            text=text,
        ),
    }
    return _page(
        request,
        pair,
        "analytics",
        {
            "form": wanted.form,
            "options": await analytics_service.options(session),
            "report": report,
            "m": metrics,
            "charts": charts,
            "sla_seconds": wanted.config.sla_seconds,
        },
    )


@router.get("/analytics/conversations", response_class=HTMLResponse)
async def drill_down(
    request: Request,
    pair: Staff,
    session: SessionDep,
    wanted: ReportRequestDep,
    segment: Annotated[str, Query(max_length=100)] = "all",
) -> HTMLResponse:
    title, conversations = await analytics_service.drill_down(
        session, wanted.filters, segment, config=wanted.config, now=utc_now()
    )
    return _page(
        request,
        pair,
        "conversations",
        {
            "form": wanted.form,
            "segment": segment,
            "title": title,
            "total": len(conversations),
            "conversations": conversations[: analytics_service.DRILL_DOWN_PAGE],
            "zone": wanted.config.zone,
        },
    )


@router.get("/analytics/export.csv")
async def export(
    pair: Staff,
    session: SessionDep,
    wanted: ReportRequestDep,
    segment: Annotated[str, Query(max_length=100)] = "all",
) -> Response:
    text = await analytics_service.export_csv(
        session, wanted.filters, segment, config=wanted.config, now=utc_now()
    )
    name = f"tandem-{segment.replace(':', '-')}-{wanted.form.first}-to-{wanted.form.last}.csv"
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "-._")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


@router.get("/roi", response_class=HTMLResponse)
async def roi(
    request: Request, pair: Staff, session: SessionDep, wanted: ReportRequestDep
) -> HTMLResponse:
    report = await analytics_service.report(
        session, wanted.filters, config=wanted.config, now=utc_now()
    )
    r = report.roi
    text = request_catalogue(request).gettext
    chart = view.pair_chart(
        [text(N_("cost per contact")), text(N_("mean rating (1-5)"))],
        [r.cost_per_ai_contact, r.csat_ai],
        [r.cost_per_human_contact, r.csat_human],
        y_title=f"{r.currency} / {text(N_('rating'))}",
        text=text,
    )
    return _page(
        request,
        pair,
        "roi",
        {
            "form": wanted.form,
            "options": await analytics_service.options(session),
            "roi": r,
            "m": report.metrics,
            "costs": wanted.config.costs,
            "charts": {"roi": chart},
        },
    )


@dataclass(frozen=True, slots=True)
class DaySummary:
    name: str
    contacts: float
    human_contacts: float
    agent_hours: float
    peak: int


def day_summaries(forecast: Forecast) -> list[DaySummary]:
    days = []
    for index, name in enumerate(WEEKDAYS):
        mine = [i for i in forecast.intervals if i.weekday == index]
        days.append(
            DaySummary(
                name,
                sum(i.contacts for i in mine),
                sum(i.human_contacts for i in mine),
                sum(i.staffing.agents_with_shrinkage for i in mine) * SLOT_MINUTES / 60,
                max(i.staffing.agents_with_shrinkage for i in mine),
            )
        )
    return days


@router.get("/forecast", response_class=HTMLResponse)
async def forecast(
    request: Request,
    pair: Staff,
    session: SessionDep,
    settings: SettingsDep,
    weeks: Annotated[int, Query(ge=1, le=12)] = workforce_service.DEFAULT_WEEKS,
    ai_points: Annotated[float, Query(ge=-50, le=50)] = 0,
    volume: Annotated[float, Query(ge=-90, le=300)] = 0,
    target_level: Annotated[float, Query(ge=50, le=99)] = 80,
    target_seconds: Annotated[float, Query(ge=0, le=3600)] = 60,
    shrinkage: Annotated[float, Query(ge=0, le=80)] = 30,
    patience: Annotated[float, Query(ge=0, le=7200)] = 0,
) -> HTMLResponse:
    config = analytics_service.config_from(settings)
    plan = Plan(
        aht_seconds=float(settings.average_handle_seconds),
        target=Target(target_level / 100, target_seconds),
        shrinkage=shrinkage / 100,
        patience_seconds=patience or None,
    )
    week = await workforce_service.plan_week(
        session,
        today=utc_now().astimezone(config.zone).date(),
        zone=config.zone,
        weeks=weeks,
        plan=plan,
        what_if=WhatIf(ai_points, volume),
        cache_seconds=config.cache_seconds,
    )
    topics = sorted(week.profile.topic_contacts.items(), key=lambda item: (-item[1], item[0]))
    return _page(
        request,
        pair,
        "forecast",
        {
            "week": week,
            "days": day_summaries(week.scenario),
            "baseline_days": day_summaries(week.baseline),
            "topics": topics,
            "what_if": week.scenario.what_if,
            "params": {
                "weeks": weeks,
                "ai_points": ai_points,
                "volume": volume,
                "target_level": target_level,
                "target_seconds": target_seconds,
                "shrinkage": shrinkage,
                "patience": patience,
            },
            "charts": {
                "forecast": view.forecast_chart(
                    week.baseline, week.scenario, request_catalogue(request).gettext
                )
            },
        },
    )


def _figures(value: Any) -> Any:  # Any: dataclasses of metrics, turned into JSON
    """A metrics dataclass as JSON; each rate also carries its value (share, or null)."""
    if isinstance(value, Rate):
        return {
            "numerator": value.numerator,
            "denominator": value.denominator,
            "value": value.value,
        }
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _figures(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_figures(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _figures(v) for k, v in value.items()}
    return jsonable_encoder(value)


@api_router.get("/analytics")
async def analytics_figures(
    agent: CurrentAgent, session: SessionDep, wanted: ReportRequestDep
) -> dict[str, Any]:
    """Every dashboard figure for the period (``from``, ``to``; default the last 28 days) and
    filters (``channel``, ``queue``, ``intent``, ``tier``): containment, handoffs by reason,
    time to a person, CSAT for the AI and for people, per agent, queue and day, and the ROI.
    Definitions: docs/metrics.md. Supervisors and admins."""
    access_reports(agent)
    report = await analytics_service.report(
        session, wanted.filters, config=wanted.config, now=utc_now()
    )
    return {
        "from": wanted.form.first.isoformat(),
        "to": wanted.form.last.isoformat(),
        "time_zone": str(wanted.config.zone),
        "metrics": _figures(report.metrics),
        "roi": _figures(report.roi),
    }
