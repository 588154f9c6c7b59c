"""`tandem staffing` (one interval) and `tandem forecast` (next week, from the history)."""

from __future__ import annotations

import asyncio
import json
import math
from typing import Annotated, Any

import typer

from tandem.analytics import service as analytics_service
from tandem.config import get_settings
from tandem.core.commands import fail
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.errors import TandemError
from tandem.core.time import utc_now
from tandem.workforce import service
from tandem.workforce.erlang import Load, Staffing, Target, staff
from tandem.workforce.forecast import DEFAULT_SHRINKAGE, Forecast, Plan, WhatIf


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def staffing_json(result: Staffing) -> dict[str, Any]:
    """The one JSON object `tandem staffing --json` prints."""
    return {
        "agents": result.agents,
        "agents_with_shrinkage": result.agents_with_shrinkage,
        "service_level": result.performance.service_level,
        "probability_of_waiting": result.performance.probability_of_waiting,
        "asa_seconds": _finite(result.performance.asa_seconds),
    }


def staffing(
    contacts: Annotated[float, typer.Option(help="Contacts arriving in the interval.", min=0)],
    interval_minutes: Annotated[float, typer.Option(help="Interval length in minutes.")],
    aht_seconds: Annotated[float, typer.Option(help="Average handle time in seconds.")],
    target_seconds: Annotated[float, typer.Option(help="Answer within this many seconds.")],
    target_level: Annotated[float, typer.Option(help="Share to answer in time, e.g. 0.8.")] = 0.8,
    shrinkage: Annotated[
        float, typer.Option(help="Share of paid time not on contacts, e.g. 0.3.")
    ] = 0.0,
    patience_seconds: Annotated[
        float | None,
        typer.Option(help="Mean customer patience: use Erlang A (with abandonment)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Agents one interval needs (Erlang C, or Erlang A with --patience-seconds)."""
    try:
        load = Load(contacts, interval_minutes * 60, aht_seconds)
        result = staff(
            load,
            Target(target_level, target_seconds),
            shrinkage=shrinkage,
            patience_seconds=patience_seconds,
        )
    except ValueError as error:
        raise fail(f"Cannot compute staffing: {error}.") from error
    if as_json:
        typer.echo(json.dumps(staffing_json(result)))
        return
    p = result.performance
    model = f"Erlang A, mean patience {patience_seconds:g} s" if patience_seconds else "Erlang C"
    rows = [
        ("Agents needed:", str(result.agents)),
        (f"With {shrinkage:.0%} shrinkage:", str(result.agents_with_shrinkage)),
        (
            "Service level:",
            f"{p.service_level:.1%} answered within {target_seconds:g} s "
            f"(target {target_level:.0%})",
        ),
        ("Probability of waiting:", f"{p.probability_of_waiting:.1%}"),
        ("Average speed of answer:", f"{p.asa_seconds:.1f} s"),
    ]
    if patience_seconds:
        rows.append(("Abandonment:", f"{p.abandonment:.1%}"))
    lines = [
        f"Load: {load.traffic:.2f} Erlangs ({contacts:g} contacts in {interval_minutes:g} min, "
        f"handle time {aht_seconds:g} s), {model}",
        *(f"{label:<26}{value}" for label, value in rows),
    ]
    typer.echo("\n".join(lines))


def _forecast_table(week: service.WeekPlan, scenario: Forecast) -> str:
    plan = week.plan
    aht_source = "measured" if week.aht_measured else "configured"
    rows = [
        f"History {week.history_start} to {week.history_end} ({week.profile.weeks} weeks); "
        f"handle time {plan.aht_seconds:.0f} s ({aht_source}); target {plan.target.level:.0%} "
        f"in {plan.target.seconds:g} s; shrinkage {plan.shrinkage:.0%}",
        f"What-if: AI resolution {scenario.what_if.ai_resolution_points:+g} points, "
        f"volume {scenario.what_if.volume_percent:+g}%",
        "",
        f"{'interval':<10} {'contacts':>9} {'for people':>10} {'agents':>7} {'scheduled':>9} "
        f"{'service':>8}",
    ]
    for i in scenario.intervals:
        if i.contacts < 0.05 and i.staffing.agents == 0:
            continue
        rows.append(
            f"{i.label:<10} {i.contacts:>9.1f} {i.human_contacts:>10.1f} "
            f"{i.staffing.agents:>7} {i.staffing.agents_with_shrinkage:>9} "
            f"{i.staffing.performance.service_level:>8.1%}"
        )
    rows += [
        "",
        f"Week: {scenario.contacts:.0f} contacts, {scenario.human_contacts:.0f} for people, "
        f"{scenario.agent_hours:.0f} scheduled agent-hours, peak {scenario.peak_agents} agents "
        f"(as things stand: {week.baseline.agent_hours:.0f} agent-hours, "
        f"peak {week.baseline.peak_agents})",
    ]
    return "\n".join(rows)


def _forecast_json(week: service.WeekPlan, scenario: Forecast) -> dict[str, Any]:
    return {
        "history_start": week.history_start.isoformat(),
        "history_end": week.history_end.isoformat(),
        "aht_seconds": week.plan.aht_seconds,
        "contacts": scenario.contacts,
        "human_contacts": scenario.human_contacts,
        "agent_hours": scenario.agent_hours,
        "peak_agents": scenario.peak_agents,
        "baseline_agent_hours": week.baseline.agent_hours,
        "intervals": [
            {
                "interval": i.label,
                "contacts": i.contacts,
                "human_contacts": i.human_contacts,
                **staffing_json(i.staffing),
            }
            for i in scenario.intervals
        ],
    }


def forecast(
    weeks: Annotated[int, typer.Option(help="Whole weeks of history to average.", min=1)] = 4,
    ai_resolution_points: Annotated[
        float, typer.Option(help="What-if: AI resolution up (or down, negative) by N points.")
    ] = 0.0,
    volume_percent: Annotated[float, typer.Option(help="What-if: volume up or down N%.")] = 0.0,
    target_level: Annotated[float, typer.Option(help="Share to answer in time.")] = 0.8,
    target_seconds: Annotated[float, typer.Option(help="Answer within this many seconds.")] = 60,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time not on contacts.")] = (
        DEFAULT_SHRINKAGE
    ),
    aht_seconds: Annotated[
        float | None, typer.Option(help="Handle time; default: measured from the history.")
    ] = None,
    patience_seconds: Annotated[
        float | None, typer.Option(help="Mean customer patience: use Erlang A.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Agents per 30-minute interval next week, from the history, net of what the AI resolves."""
    settings = get_settings()
    try:
        config = analytics_service.config_from(settings)
        plan = Plan(
            aht_seconds=aht_seconds or float(settings.average_handle_seconds),
            target=Target(target_level, target_seconds),
            shrinkage=shrinkage,
            patience_seconds=patience_seconds,
        )
        what_if = WhatIf(ai_resolution_points, volume_percent)
    except (ValueError, TandemError) as error:
        raise fail(f"Cannot forecast: {error}.") from error
    today = utc_now().astimezone(config.zone).date()

    async def run() -> service.WeekPlan:
        engine = create_engine(settings.database_url)
        try:
            async with transaction(create_sessionmaker(engine), write=False) as session:
                return await service.plan_week(
                    session,
                    today=today,
                    zone=config.zone,
                    weeks=weeks,
                    plan=plan,
                    what_if=what_if,
                    measure_aht=aht_seconds is None,
                )
        finally:
            await engine.dispose()

    week = asyncio.run(run())
    if as_json:
        typer.echo(json.dumps(_forecast_json(week, week.scenario)))
    else:
        typer.echo(_forecast_table(week, week.scenario))


def register(app: typer.Typer) -> None:
    """Add `staffing` and `forecast` to the `tandem` command."""
    app.command("staffing")(staffing)
    app.command("forecast")(forecast)
