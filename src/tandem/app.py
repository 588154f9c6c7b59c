"""create_app(): routers, middleware, error handlers, lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import tandem
from tandem import migrations
from tandem.auth import routes as auth_routes
from tandem.bot import service as bot_service
from tandem.bot.actions.spec import load_actions
from tandem.channels import openapi
from tandem.channels.api import agent as agent_api
from tandem.channels.api import articles as articles_api
from tandem.channels.api import customer as customer_api
from tandem.channels.api import customers as customers_api
from tandem.channels.api import flags as flags_api
from tandem.channels.api import macros as macros_api
from tandem.channels.api import policy as policy_api
from tandem.channels.api import team as team_api
from tandem.channels.api import users as users_api
from tandem.channels.delivery import delivering
from tandem.channels.email import routes as email_routes
from tandem.channels.email.tasks import setup_from
from tandem.channels.webhooks import routes as webhook_routes
from tandem.channels.widget.cors import WidgetCors
from tandem.channels.widget.origins import AllowedOrigins, parse_origins
from tandem.config import Settings, get_settings
from tandem.conversations.probe import ConversationProbe
from tandem.core.body_limit import LimitRequestBody
from tandem.core.db import create_engine, create_sessionmaker
from tandem.core.deps import SessionDep
from tandem.core.errors import TandemError
from tandem.core.events import get_notifier, set_notifier
from tandem.core.followups import set_deferrer
from tandem.core.health import check_database, check_redis
from tandem.core.heap import freeze_start_up_objects
from tandem.core.http_middleware import CountRequests, SecurityHeaders
from tandem.core.limits import Limiter, limits_prefix
from tandem.core.metrics import QUEUE_DEPTH, render
from tandem.core.problems import invalid_input, problem
from tandem.core.redis_notifier import RedisNotifier
from tandem.core.unstorable import RefuseUnstorableText
from tandem.demo.backend import create_backend
from tandem.jobs.runner import Jobs, check_job_runner, measure_jobs
from tandem.jobs.tasks import Resources
from tandem.knowledge import live as live_knowledge
from tandem.privacy.redaction import find_secrets
from tandem.routing import service as routing_service
from tandem.web import (
    account_pages,
    admin,
    audit_admin,
    console,
    console_activity,
    console_flags,
    console_inbox,
    console_notes,
    console_search,
    jobs_admin,
    knowledge_admin,
    macros,
    pages,
    privacy_admin,
    review,
    sso_pages,
    supervisor,
    tokens_admin,
    two_factor_pages,
    users_admin,
    webhooks_admin,
    widget_admin,
    widget_pages,
)
from tandem.web.templating import templates

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "web" / "static"
SWAGGER_UI = "swagger-ui-5.35.0"


async def _warm_up(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Load the understanding and redaction models and build the knowledge index before the
    first customer.

    Without it the first customer turn of a process waits seconds for both. A failure here
    (say, a database not upgraded yet) is logged; the first turn then loads what it needs.
    """
    config = bot_service.config_from(settings)
    try:
        await asyncio.to_thread(lambda: config.reader)
        # The redaction phrases and its password and code models (scikit-learn's hashing).
        await asyncio.to_thread(find_secrets, "my code is 318 460, password Tulip#24")
        await live_knowledge.warm_up(sessionmaker)
    except (TandemError, OSError, SQLAlchemyError, ValueError):
        logger.exception("warm-up failed; the first customer turn will load what it needs")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


async def _tandem_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TandemError)
    if request.headers.get("HX-Request"):
        response = templates.TemplateResponse(
            request,
            "_flash.html",
            {"message": exc.message, "level": "error"},
            status_code=exc.status_code,
            headers=exc.headers,
        )
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    if _wants_html(request):
        if exc.status_code == 401:
            target = quote(request.url.path)
            return RedirectResponse(f"/console/login?next={target}", status_code=303)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"message": exc.message, "status": exc.status_code},
            status_code=exc.status_code,
            headers=exc.headers,
        )
    return problem(exc.status_code, code=exc.code, detail=exc.message, headers=exc.headers)


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return invalid_input(exc.errors())


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for ``settings`` (read from the environment when omitted)."""
    settings = settings or get_settings()
    if settings.actions_dir is not None:
        load_actions(settings.actions_dir)  # a bad action file stops start-up, saying where
    mail_setup = setup_from(settings)  # a bad mail server URL stops start-up here
    widget_origins = AllowedOrigins(parse_origins(settings.widget_origins))  # so does an origin
    engine = create_engine(settings.database_url)
    live_knowledge.index_cache.wait_seconds = settings.knowledge_rebuild_wait_seconds

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await _warm_up(settings, app.state.sessionmaker)
        freeze_start_up_objects()  # full collections no longer walk the loaded code and models
        jobs: Jobs = app.state.jobs
        await jobs.open()
        set_deferrer(jobs)  # work a request commits is queued for the job runner
        embedded = settings.job_runner == "embedded"
        if embedded:
            jobs.start_worker(
                Resources(settings, app.state.sessionmaker), name=f"embedded-{os.getpid()}"
            )
        # With TANDEM_JOB_RUNNER=separate, `tandem worker` sends webhooks and mail instead.
        sending = (
            delivering(settings, app.state.sessionmaker, mail_setup)
            if embedded
            else contextlib.nullcontext()
        )
        async with sending:
            yield
        set_deferrer(None)
        await jobs.close()  # running jobs get GRACEFUL_SECONDS to finish
        await engine.dispose()
        if settings.redis_url:
            await get_notifier().close()
            set_notifier(None)

    app = FastAPI(
        title="Tandem",
        version=tandem.__version__,
        summary="Customer service where AI and human agents work in tandem.",
        lifespan=lifespan,
        debug=settings.debug,
        docs_url=None,  # served below from vendored assets: no CDN for a self-hosted product
        redoc_url=None,
    )
    app.openapi = openapi.document(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    if settings.redis_url:  # without Redis, streams learn of changes from the database
        probe = ConversationProbe(app.state.sessionmaker)
        set_notifier(RedisNotifier(settings.redis_url, probe=probe))
    app.state.jobs = Jobs(settings)
    app.state.widget_origins = widget_origins
    app.state.limiter = Limiter(settings.redis_url, key_prefix=limits_prefix(settings.database_url))
    app.add_middleware(SecurityHeaders, hsts=settings.environment == "production")
    app.add_middleware(CountRequests)
    app.add_middleware(RefuseUnstorableText)
    app.add_middleware(WidgetCors)
    # Outermost: an oversized body is refused before anything buffers it.
    app.add_middleware(
        LimitRequestBody,
        max_bytes=settings.max_request_bytes,
        per_path={email_routes.INBOUND_PATH: settings.email_max_bytes},
    )
    app.add_exception_handler(TandemError, _tandem_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.include_router(audit_admin.router)
    app.include_router(jobs_admin.router)
    app.include_router(customer_api.router)
    app.include_router(agent_api.router)
    app.include_router(agent_api.integrations_router)
    app.include_router(flags_api.router)
    app.include_router(customers_api.router)
    app.include_router(articles_api.router)
    app.include_router(users_api.router)
    app.include_router(team_api.router)
    app.include_router(macros_api.router)
    app.include_router(policy_api.router)
    app.include_router(email_routes.router)
    app.include_router(webhook_routes.router)
    app.include_router(widget_pages.router)
    app.include_router(auth_routes.router)
    app.include_router(pages.router)
    app.include_router(console.router)
    app.include_router(console_activity.router)
    app.include_router(console_inbox.router)
    app.include_router(console_notes.router)
    app.include_router(console_flags.router)
    app.include_router(console_search.router)
    app.include_router(two_factor_pages.router)
    app.include_router(account_pages.router)
    app.include_router(sso_pages.router)
    app.include_router(supervisor.router)
    app.include_router(review.router)
    app.include_router(macros.router)
    app.include_router(admin.router)
    app.include_router(privacy_admin.router)
    app.include_router(admin.api_router)
    app.include_router(knowledge_admin.router)
    app.include_router(webhooks_admin.router)
    app.include_router(tokens_admin.router)
    app.include_router(users_admin.router)
    app.include_router(widget_admin.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if settings.demo_backend:  # the demo shop's order system, which its actions call
        app.mount("/demo-backend", create_backend(), name="demo-backend")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Tandem API",
            swagger_js_url=f"/static/vendor/{SWAGGER_UI}/swagger-ui-bundle.js",
            swagger_css_url=f"/static/vendor/{SWAGGER_UI}/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> HTMLResponse:
        """Liveness: the process answers (nothing else is checked)."""
        return HTMLResponse("ok")

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Readiness: the database answers at the schema's head, Redis when configured, and a
        job runner runs (this process's own, or a `tandem worker` that reported lately)."""
        checks = await check_database(engine, expected_heads=migrations.heads())
        if settings.redis_url:
            checks.append(await check_redis(settings.redis_url))
        checks.append(await check_job_runner(app.state.jobs, engine))
        ready = all(c.ok for c in checks)
        return JSONResponse(
            {
                "status": "ready" if ready else "not ready",
                "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
            },
            status_code=200 if ready else 503,
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics(session: SessionDep) -> Response:
        """Prometheus metrics of this process (the queues are read from the database)."""
        QUEUE_DEPTH.set(await routing_service.queue_depth(session))
        await measure_jobs(app.state.jobs, engine)
        return Response(render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    return app
