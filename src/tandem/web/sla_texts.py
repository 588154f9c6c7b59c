"""The first-reply clock in the reader's language (console/_sla.html).

``routing/sla.py`` reads the clock and words it in English. Here the same words come from the
interface's catalogue, and the units ("2 hours") from CLDR through Babel; ``static/js/sla.js``
ticks the clock in the browser with the same texts and ``Intl`` (CLDR too), so both agree in
every language. In English all three read the same.
"""

from __future__ import annotations

from gettext import NullTranslations

from babel.units import format_unit

from tandem.routing.sla import SlaClock, SlaState


def clock_text(clock: SlaClock, catalogue: NullTranslations) -> str:
    """Return what the page shows: "4:32 left", "overdue 1:05", "replied"."""
    if clock.state is SlaState.REPLIED:
        return catalogue.gettext("replied")
    if clock.seconds_left < 0:
        return catalogue.gettext("overdue %(time)s") % {
            "time": clock_face(-clock.seconds_left, catalogue)
        }
    return catalogue.gettext("%(time)s left") % {"time": clock_face(clock.seconds_left, catalogue)}


def clock_label(clock: SlaClock, catalogue: NullTranslations, language: str) -> str:
    """Return what a screen reader says, to the minute: "SLA: 4 minutes left"."""
    if clock.state is SlaState.REPLIED:
        return catalogue.gettext("SLA: replied")
    if clock.state is SlaState.OVERDUE:
        late = spoken(max(-clock.seconds_left, 0), catalogue, language)
        return catalogue.gettext("SLA overdue by %(duration)s") % {"duration": late}
    left = spoken(clock.seconds_left, catalogue, language)
    if clock.state is SlaState.AT_RISK:
        return catalogue.gettext("SLA: %(duration)s left (at risk)") % {"duration": left}
    return catalogue.gettext("SLA: %(duration)s left") % {"duration": left}


def clock_face(seconds: int, catalogue: NullTranslations) -> str:
    """Write a non-negative duration as a countdown: 4:32, 1:04:32, 2 d 1:04:32."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        time = f"{hours}:{minutes:02}:{secs:02}"
        return catalogue.gettext("%(days)s d %(time)s") % {"days": days, "time": time}
    if hours:
        return f"{hours}:{minutes:02}:{secs:02}"
    return f"{minutes}:{secs:02}"


def spoken(seconds: int, catalogue: NullTranslations, language: str) -> str:
    """Say a non-negative duration to the minute: "less than a minute", "1 hour 5 minutes"."""
    minutes = seconds // 60
    if minutes == 0:
        return catalogue.gettext("less than a minute")
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    return " ".join(
        format_unit(n, f"duration-{unit}", length="long", locale=language) for n, unit in parts if n
    )
