"""The knowledge audit page for supervisors and admins: what is wrong and what to do."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tandem.auth.deps import AgentSession
from tandem.core.deps import SessionDep, SettingsDep
from tandem.knowledge.access import access_audit
from tandem.knowledge.audit import audit_knowledge
from tandem.knowledge.quality.findings import FindingKind
from tandem.web.templating import templates
from tandem.web.translations import N_

router = APIRouter(prefix="/admin", include_in_schema=False)

LABELS = {
    FindingKind.MODEL_INSTRUCTION: N_("Instructions to a model"),
    FindingKind.DUPLICATE: N_("Near-duplicates"),
    FindingKind.CONTRADICTION: N_("Contradictions"),
    FindingKind.STALE: N_("Stale"),
    FindingKind.BROKEN_LINK: N_("Broken links"),
    FindingKind.UNUSED: N_("Unused or poorly resolving"),
    FindingKind.GAP: N_("Coverage gaps"),
}


@router.get("/knowledge", response_class=HTMLResponse)
async def knowledge_audit(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    settings: SettingsDep,
    kind: Annotated[FindingKind | None, Query()] = None,
) -> HTMLResponse:
    user = access_audit(pair[0])
    findings = await audit_knowledge(
        session,
        max_age_days=settings.knowledge_review_days,
        cache_seconds=settings.report_cache_seconds,
    )
    counts = {k: sum(f.kind is k for f in findings) for k in FindingKind}
    shown = [f for f in findings if kind is None or f.kind is kind]
    return templates.TemplateResponse(
        request,
        "admin/knowledge.html",
        {
            "agent": user,
            "csrf_token": pair[1].csrf_token,
            "page": "knowledge",
            "findings": shown,
            "total": len(findings),
            "counts": counts,
            "labels": LABELS,
            "kind": kind,
        },
    )
