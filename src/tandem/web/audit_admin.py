"""/admin/audit: the audit log, newest first, filtered and paged, and exported as CSV.

Admins only. Looking at the log is itself an action: each page viewed is recorded as
``audit.viewed`` and each export as ``audit.exported``, with the filters used.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.access import ADMINS, require_role
from tandem.auth.deps import AgentSession
from tandem.auth.models import User
from tandem.core.deps import SessionDep
from tandem.core.spreadsheet import safe_cell
from tandem.web.admin_layout import admin_page
from tandem.web.translations import N_, Text

router = APIRouter(prefix="/admin", include_in_schema=False)

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000  # the newest; an older stretch is exported by narrowing the dates
MAX_PAGE = 100_000
CSV_COLUMNS = ("at", "actor", "action", "target", "details")


class BadFilter(ValueError):
    """A filter the page cannot apply; ``text`` says what to correct."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """The filters as typed in the form; :meth:`bounds` checks and reads the dates."""

    action: str = ""
    actor: str = ""
    first: str = ""
    last: str = ""

    def query(self, **extra: str | int) -> str:
        """The filters (and ``extra``) as a query string for links."""
        values = {"action": self.action, "actor": self.actor, "from": self.first,
                  "to": self.last, **extra}  # fmt: skip
        return urlencode({k: v for k, v in values.items() if v})

    def used(self) -> dict[str, str]:
        """The filters that are set, for the audit entry of a view or an export."""
        values = {"action_prefix": self.action, "actor_email": self.actor, "from": self.first,
                  "to": self.last}  # fmt: skip
        return {k: v for k, v in values.items() if v}

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Return [start, end) in UTC for the dates, the end day included.

        Raises BadFilter for a date not written YYYY-MM-DD, or an end before the start.
        """
        first, last = _day(self.first), _day(self.last)
        if first and last and last < first:
            raise BadFilter(Text(N_("The end date is before the start date; pick them again.")))
        start = datetime.combine(first, time.min, UTC) if first else None
        end = None
        if last and last < date.max:
            end = datetime.combine(last + timedelta(days=1), time.min, UTC)
        return start, end


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadFilter(
            Text(N_("%(value)s is not a date; write dates as YYYY-MM-DD."), {"value": text})
        ) from None


@dataclass(frozen=True, slots=True)
class Row:
    """One entry as the page and the CSV show it."""

    at: datetime
    actor: str | None  # the actor's e-mail; None: the command line or the system
    action: str
    target: str
    detail: dict[str, Any]  # Any: the JSON facts the entry was recorded with

    def details(self) -> str:
        return " ".join(f"{key}={value}" for key, value in self.detail.items())


async def find_rows(
    session: AsyncSession, filters: AuditFilters, *, offset: int, limit: int
) -> list[Row]:
    """Return up to ``limit`` entries matching ``filters``, newest first, after ``offset``.

    Raises BadFilter when the filters cannot be applied.
    """
    start, end = filters.bounds()
    found = await audit.search(
        session,
        action=filters.action,
        actor_email=filters.actor,
        start=start,
        end=end,
        offset=offset,
        limit=limit,
    )
    return [Row(e.at, email, e.action, e.target, e.detail) for e, email in found]


def to_csv(rows: Sequence[Row]) -> str:
    """Return one CSV line per entry, with a header, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        details = json.dumps(row.detail, ensure_ascii=False, sort_keys=True, default=str)
        cells = (row.at.isoformat(), row.actor or "", row.action, row.target, details)
        writer.writerow(safe_cell(cell) for cell in cells)
    return out.getvalue()


def audit_filters(
    action: Annotated[str, Query(max_length=64)] = "",
    actor: Annotated[str, Query(max_length=320)] = "",
    first: Annotated[str, Query(alias="from", max_length=32)] = "",
    last: Annotated[str, Query(alias="to", max_length=32)] = "",
) -> AuditFilters:
    """Read the filters as typed; the dates are checked when the entries are looked up."""
    return AuditFilters(action.strip(), actor.strip(), first.strip(), last.strip())


FiltersDep = Annotated[AuditFilters, Depends(audit_filters)]


def _admin(pair: AgentSession) -> User:
    return require_role(pair[0], ADMINS, doing="read the audit log")


def _error_page(
    request: Request, pair: AgentSession, filters: AuditFilters, error: BadFilter
) -> HTMLResponse:
    context = {"filters": filters, "rows": [], "page_number": 1, "more": False, "error": error.text}
    return admin_page(request, pair, "audit", context, status_code=422)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    filters: FiltersDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    """Show a page of entries, newest first; the view is recorded."""
    admin = _admin(pair)
    try:
        rows = await find_rows(session, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    except BadFilter as error:
        return _error_page(request, pair, filters, error)
    await audit.record(session, "audit.viewed", actor=admin, page=page, **filters.used())
    context = {
        "filters": filters,
        "rows": rows[:PAGE_SIZE],
        "page_number": page,
        "more": len(rows) > PAGE_SIZE,
        "error": None,
    }
    return admin_page(request, pair, "audit", context)


@router.get("/audit.csv", response_model=None)
async def audit_csv(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    filters: FiltersDep,
) -> Response:
    """Export the entries the filters select (the newest EXPORT_LIMIT); the export is recorded."""
    admin = _admin(pair)
    try:
        rows = await find_rows(session, filters, offset=0, limit=EXPORT_LIMIT)
    except BadFilter as error:
        return _error_page(request, pair, filters, error)
    await audit.record(session, "audit.exported", actor=admin, rows=len(rows), **filters.used())
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(filters)}"'},
    )


def _file_name(filters: AuditFilters) -> str:
    span = "-to-".join(d for d in (filters.first, filters.last) if d) or "all"
    name = f"tandem-audit-{span}.csv"
    return "".join(ch for ch in name if ch.isalnum() or ch in "-._")
